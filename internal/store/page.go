package store

import (
	"fmt"
	"strings"

	"github.com/aqjurek/tracker/internal/supply"
)

// column is one key of a list's order. Lists page by keyset: a page starts
// after the sort key of the previous page's last row, so rows inserted or
// removed meanwhile never shift a page (no repeats, no gaps).
type column struct {
	expr string
	desc bool
}

func orderSQL(order []column) string {
	parts := make([]string, len(order))
	for i, c := range order {
		parts[i] = c.expr
		if c.desc {
			parts[i] += " DESC"
		}
	}
	return strings.Join(parts, ", ")
}

// keyset returns the condition for rows after the cursor in the order: for
// keys (a, b, id) it is a >= ? AND (a > ? OR (a = ? AND b > ?) OR ...), the
// leading range letting SQLite seek in the index.
func keyset(order []column, after supply.Cursor) (string, []any, error) {
	if after == nil {
		return "", nil, nil
	}
	if len(after) != len(order) {
		return "", nil, invalidPageToken()
	}
	for _, v := range after {
		switch v.(type) {
		case int64, float64, string:
		default:
			return "", nil, invalidPageToken()
		}
	}
	op := func(c column) string {
		if c.desc {
			return "<"
		}
		return ">"
	}
	var alternatives []string
	var args []any
	for i, c := range order {
		var terms []string
		for j := 0; j < i; j++ {
			terms = append(terms, order[j].expr+" = ?")
			args = append(args, after[j])
		}
		terms = append(terms, fmt.Sprintf("%s %s ?", c.expr, op(c)))
		args = append(args, after[i])
		alternatives = append(alternatives, "("+strings.Join(terms, " AND ")+")")
	}
	cond := fmt.Sprintf("%s %s= ? AND (%s)", order[0].expr, op(order[0]), strings.Join(alternatives, " OR "))
	return cond, append([]any{after[0]}, args...), nil
}

func invalidPageToken() error {
	return supply.InvalidField("page_token", "page_token is not valid for this list; start again without it")
}
