package api

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// developerOnly are the messages only a program calling the API meets
// (paging, ordering, masks, resource names, request ids, the token
// command), left in English.
var developerOnly = []string{
	"%s %q is not a valid id: %v",
	"%s %s does not exist",
	"%s %v",
	"%s has an invalid id %q: %v",
	"%s lists %s twice; name each once",
	"%s must be a resource name of the form %s (got %q)",
	"%s must be one of %s",
	"%s must list at most %d states, each once (got %d)",
	"a %s token is not bound to a hospital or a volunteer",
	"a driver token needs --volunteer, and no --hospital",
	"a staff token needs --hospital, and no --volunteer",
	"after_sequence must not be negative",
	"kind must be MONEY or GOODS",
	"name must name the person or device, in at most 200 characters",
	"order_by is not valid: %v",
	`order_by must be "sequence" or "sequence desc"`,
	"order_by must list at most %d fields (got %d)",
	"order_by must list at most %d fields in at most %d characters (got %d characters)",
	"order_by must list fields among %s, each optionally followed by desc (got %q)",
	"order_by names %s twice; name each field once",
	"page_size must not be negative",
	"page_token belongs to a list with other filters; start again without it",
	"page_token is not valid (longer than any this server makes); start again without it",
	"page_token is not valid for this list; start again without it",
	"page_token is not valid; start again without it",
	"request_id %s was already used for a different request",
	"request_id must be a UUID such as 123e4567-e89b-12d3-a456-426614174000 (got %q)",
	"role must be one of %s",
	"the query is not valid: %v",
	"update_mask is not valid: %v",
	"update_mask must name at most %d paths (got %d)",
}

// composed are catalog entries the code builds in pieces, not with one of
// the error constructors the scan knows: the quantity parser's errors, a
// label with its line, where a request already is, the currency check's
// errors, a field with the money parser's error, a shortage of stock, an
// amount of goods.
var composed = []string{
	" on %s",
	"description (line %d)",
	"must be a number",
	"must be at most %d",
	"must have at most 3 decimal places",
	"must be an ISO 4217 code of three capital letters such as KZT or USD (got %q)",
	"must be an ISO 4217 currency code such as KZT or USD (got %q)",
	"%s has more decimal places than %s has (%d)",
	"%s must be at most %s %s",
	"%s has %s; this run needs %s",
	"%s kg of %s", "%s l of %s", "%s portions of %s", "%s pieces of %s", "%s boxes of %s",
	"%s kg", "%s l", "%s portions", "%s pieces", "%s boxes",
}

// sourceFormats reads every error format in the service's source: the
// format argument of supply.Errorf, Violations.Add, InvalidField, archived,
// status.Error, status.Errorf, status.Newf and retryIn.
func sourceFormats(t *testing.T) map[string]string {
	t.Helper()
	formats := map[string]string{}
	fset := token.NewFileSet()
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			c, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			var name, recv string
			switch fn := c.Fun.(type) {
			case *ast.Ident:
				name = fn.Name
			case *ast.SelectorExpr:
				name = fn.Sel.Name
				if id, ok := fn.X.(*ast.Ident); ok {
					recv = id.Name
				}
			}
			switch {
			case name == "Add" && recv == "v", name == "InvalidField", name == "archived", name == "retryIn",
				name == "Errorf" && (recv == "supply" || recv == "status" || recv == ""),
				(name == "Newf" || name == "Error" || name == "New") && recv == "status":
			default:
				return true
			}
			if len(c.Args) < 2 {
				return true
			}
			if s, ok := constant(c.Args[1]); ok {
				formats[s] = fset.Position(c.Pos()).String()
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return formats
}

// constant is the value of a string literal, or of literals joined by +.
func constant(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind == token.STRING {
			s, err := strconv.Unquote(e.Value)
			return s, err == nil
		}
	case *ast.BinaryExpr:
		if e.Op == token.ADD {
			x, okx := constant(e.X)
			y, oky := constant(e.Y)
			return x + y, okx && oky
		}
	}
	return "", false
}

func TestEveryMessageIsTranslated(t *testing.T) {
	formats := sourceFormats(t)
	if len(formats) < 100 {
		t.Fatalf("found only %d formats in the source; the scan is broken", len(formats))
	}
	for format, at := range formats {
		if format == "%s" || slices.Contains(developerOnly, format) {
			continue
		}
		if _, ok := messages[format]; !ok {
			t.Errorf("%s: %q has no translation in messages (or belongs in developerOnly)", at, format)
		}
	}
	for format := range messages {
		if _, ok := formats[format]; !ok && !slices.Contains(composed, format) {
			t.Errorf("messages has %q, which the source no longer says", format)
		}
	}
}

func TestTranslationsTakeTheSameArguments(t *testing.T) {
	for format, tr := range messages {
		var args []any
		for _, verb := range compile(format).verbs {
			switch verb[len(verb)-1] {
			case 'd', 'X':
				args = append(args, int64(7))
			case 'f':
				args = append(args, 1.5)
			default:
				args = append(args, "x")
			}
		}
		for lang, text := range map[string]string{"ru": tr.ru, "kk": tr.kk} {
			if text == "" {
				t.Errorf("%q has no %s translation", format, lang)
				continue
			}
			if got := fmt.Sprintf(text, args...); strings.Contains(got, "%!") {
				t.Errorf("%s of %q does not take its arguments: %s", lang, format, got)
			}
		}
	}
	for word, tr := range words {
		if tr.ru == "" || tr.kk == "" {
			t.Errorf("word %q lacks a translation: %+v", word, tr)
		}
	}
}

func TestSay(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ lang, en, want string }{
		{"ru", "reason is required", "Заполните поле «Причина»"},
		{"kk", "reason is required", "«Себебі» өрісін толтырыңыз"},
		{"ru", "ward is required", "Выберите отделение"},
		{"kk", "run.volunteer is required", "«Жүргізуші» өрісін толтырыңыз"},
		{"ru", "delivery_request.lines[0].description must be at most 200 characters", "«Описание»: не больше 200 символов"},
		{"kk", "quantity must be greater than 0 (line 2)", "Мөлшері 0-ден көп болуы керек (2-позиция)"},
		{"ru", "quantity must be at most 100000 (line 1)", "Количество — не больше 100000 (позиция 1)"},
		{"ru", "quantity must be a number (line 3)", "Количество: нужно число (позиция 3)"},
		{"ru", "description (line 2) must be at most 200 characters (got 201)", "«Описание (позиция 2)»: не больше 200 символов (сейчас 201)"},
		{"ru", "runs/r1 is DISPATCHED; dispatching needs a run that is PLANNED or DISPATCHED",
			"runs/r1 в состоянии «Отправлен»; для действия «отправка» рейс должен быть в состоянии «Запланирован или Отправлен»"},
		{"kk", "hospitals/h/deliveryRequests/d is SCHEDULED on runs/r; only an OPEN request can be assigned",
			"hospitals/h/deliveryRequests/d күйі: «Жоспарда» (runs/r рейсінде); тек ашық өтінімді тағайындауға болады"},
		{"ru", `runs/r was changed since it was read (etag "7" is stale); get it again and retry`,
			`runs/r изменили, пока вы с ним работали (etag "7" устарел); обновите страницу и повторите`},
		{"kk", "the load would be 120.5 kg but Olga carries at most 80.0 kg; assign fewer requests or set override_capacity",
			"Жүк 120.5 кг болар еді, ал Olga ең көбі 80.0 кг тасиды; азырақ өтінім тағайындаңыз немесе сыйымдылықтан асырып тағайындаңыз"},
		{"ru", "unit LITER does not suit FRUIT; use one of KILOGRAM, PIECE, BOX (line 1)",
			"Единица «л» не подходит для категории «Фрукты»; выберите одну из: кг, шт., кор. (позиция 1)"},
		{"kk", "a driver may not call CreateRun", "«жүргізуші» рөлі CreateRun шақыра алмайды"},
		{"ru", "depots/d/lots/l has 30 kg of apples on hand; 31 kg cannot be written off",
			"depots/d/lots/l: в наличии 30 кг (apples); списать 31 кг нельзя"},
		{"ru", "Depot 1 has 5 kg of apples; this run needs 12; Depot 1 has 0 pieces of juice; this run needs 3; " +
			"take requests off, receive more goods, or set override_stock to go with what there is",
			"Не хватает запасов — Depot 1: в наличии 5 кг (apples); этому рейсу нужно: 12; Depot 1: в наличии 0 шт. (juice); " +
				"этому рейсу нужно: 3; снимите заявки, примите ещё товары или подтвердите рейс с тем, что есть"},
		{"kk", "KZT 20,000.00 available in donations/a, donations/b, purchase is KZT 25,000.00",
			"Қолда бар: KZT 20,000.00 (donations/a, donations/b қайырымдылықтары), ал сатып алу сомасы: KZT 25,000.00"},
		{"ru", "KZT 23,000.00 available, purchase is KZT 30,000.00", "Доступно KZT 23,000.00, а закупка стоит KZT 30,000.00"},
		{"kk", "money.channel must be one of KASPI_GOLD, BANK_TRANSFER, CASH, OTHER",
			"Төлем тәсілі мыналардың бірі болуы керек: Kaspi Gold, Банк аударымы, Қолма-қол ақша, Басқа"},
		{"ru", "goods.lines[0].best_before must be a day of the calendar between the years 2000 and 2100 (got 1999-02-30)",
			"«Годен до»: нужна дата между 2000 и 2100 годом (получено 1999-02-30)"},
		{"ru", "quantity must be a number", "Количество: нужно число"},
		{"ru", "money.amount has more decimal places than KZT has (2)", "«Сумма»: слишком много знаков после запятой (у KZT их 2)"},
		{"kk", "amount must be at most KZT 1,000,000,000,000", "«Сома»: ең көбі KZT 1,000,000,000,000"},
		{"ru", "quantity must be at most 100000", "Количество: не больше 100000"},
		{"ru", "description must be at most 200 characters", "«Описание»: не больше 200 символов"},
		{"kk", "quantity must be a whole number of PIECE", "Мөлшері бүтін сан болуы керек (өлшем бірлігі: дана)"},
		{"ru", "something no one wrote", "something no one wrote"},
		{"en", "reason is required", "reason is required"},
		{"de", "reason is required", "reason is required"},
	} {
		if got := Say(tc.lang, tc.en); got != tc.want {
			t.Errorf("Say(%s, %q) = %q, want %q", tc.lang, tc.en, got, tc.want)
		}
	}
}

func TestLanguage(t *testing.T) {
	t.Parallel()
	for accept, want := range map[string]string{
		"":                        "en",
		"ru":                      "ru",
		"kk-KZ":                   "kk",
		"ru-RU,ru;q=0.9,en;q=0.8": "ru",
		"de-DE,de;q=0.9,kk;q=0.5": "kk",
		"en;q=0.4, ru;q=0.6":      "ru",
		"fr":                      "en",
		"KK":                      "kk",
		"ru;q=0, en":              "en",
		"uz-Cyrl-UZ, kk;q=0.7":    "kk",
	} {
		if got := Language(accept); got != want {
			t.Errorf("Language(%q) = %q, want %q", accept, got, want)
		}
	}
}
