package api

// translation is an English text in Russian and in Kazakh (Cyrillic).
type translation struct{ ru, kk string }

// messages is every error message a person using the pages can meet, by
// its English format as the code writes it, with the same arguments in the
// other languages (reordered with %[n] where the sentence needs it). A
// test reads the source and fails when a format is neither here nor among
// the messages only a developer meets (developerOnly in the test), and when
// a translation's arguments do not match the English ones.
var messages = map[string]translation{
	// Not found, already there, in use.
	"%s not found":                           {"Не найдено: %s", "Табылмады: %s"},
	"%s does not exist":                      {"Не существует: %s", "Жоқ: %s"},
	"%s already exists":                      {"Уже существует: %s", "Бұрыннан бар: %s"},
	"a resource with that id already exists": {"Запись с таким id уже существует", "Мұндай id бар жазба бұрыннан бар"},
	"other records still refer to this resource": {"На эту запись ещё ссылаются другие",
		"Бұл жазбаға басқа жазбалар әлі сілтейді"},
	"%s is still in use and cannot be deleted; %s": {"%s ещё используется, удалить нельзя; %s",
		"%s әлі қолданыста, жоюға болмайды; %s"},
	"%s has %d runs and cannot be deleted; set active to false instead": {
		"%s нельзя удалить: у него есть рейсы (%d); вместо этого сделайте неактивным",
		"Жою мүмкін емес: %s бойынша %d рейс бар; оның орнына белсенді емес етіңіз"},
	"%s has %d runs and %d lots of goods and cannot be deleted; archive it instead": {
		"%s нельзя удалить: с ним связаны рейсы (%d) и партии товара (%d); вместо этого отправьте в архив",
		"Жою мүмкін емес: %s бойынша %d рейс және %d тауар партиясы бар; оның орнына мұрағатқа жіберіңіз"},
	"%s has %d delivery requests and cannot be deleted; archive it instead": {
		"%s нельзя удалить: по нему есть заявки (%d); вместо этого отправьте в архив",
		"Жою мүмкін емес: %s бойынша %d өтінім бар; оның орнына мұрағатқа жіберіңіз"},
	"ward %s does not exist":               {"Отделения %s нет", "%s бөлімшесі жоқ"},
	"depot %s does not exist":              {"Склада %s нет", "%s қоймасы жоқ"},
	"volunteer %s does not exist":          {"Водителя %s нет", "%s жүргізушісі жоқ"},
	"depot %s is archived":                 {"Склад %s в архиве", "%s қоймасы мұрағатта"},
	"volunteer %s is not active":           {"Водитель %s сейчас не работает", "%s жүргізушісі қазір белсенді емес"},
	"%s is archived":                       {"В архиве: %s", "Мұрағатта: %s"},
	"%s is not active":                     {"Сейчас не работает: %s", "Қазір белсенді емес: %s"},
	"ward %s is not a ward of hospital %s": {"Отделение %s не относится к больнице %s", "%s бөлімшесі %s ауруханасына жатпайды"},
	"hospital %s (%s) is archived; it takes no %s until it is unarchived": {
		"Больница %s (%s) в архиве; %s не принимаются, пока её не вернут из архива",
		"%s ауруханасы (%s) мұрағатта; мұрағаттан қайтарылғанша %s қабылданбайды"},
	"ward %s of %s (%s) is archived; it takes no new delivery requests until it is unarchived": {
		"Отделение %s больницы %s (%s) в архиве; новые заявки не принимаются, пока его не вернут из архива",
		"%[2]s ауруханасының %[1]s бөлімшесі (%[3]s) мұрағатта; мұрағаттан қайтарылғанша жаңа өтінімдер қабылданбайды"},

	// Reports.
	"%s must be a calendar date such as {year: 2026, month: 4, day: 3}": {
		"%s должно быть датой календаря, например {year: 2026, month: 4, day: 3}",
		"%s күнтізбедегі күн болуы керек, мысалы {year: 2026, month: 4, day: 3}"},
	"start_date %s is after end_date %s": {"Начало периода %s позже его конца %s", "Кезеңнің басы %s оның соңынан %s кейін"},
	"the period from %s to %s is %d days; a report covers at most %d": {
		"Период с %s по %s — %d дн.; отчёт охватывает не больше %d",
		"%s бастап %s дейінгі кезең %d күн; есеп ең көбі %d күнді қамтиды"},

	// Conflicts: a stale etag, a resource in the wrong state.
	"%s was changed since it was read (etag %q is stale); get it again and retry": {
		"%s изменили, пока вы с ним работали (etag %q устарел); обновите страницу и повторите",
		"%s сіз ашқаннан кейін өзгерді (etag %q ескірген); бетті жаңартып, қайталаңыз"},
	"%s is %s; only an OPEN request can be changed": {"%s в состоянии «%s»; изменить можно только открытую заявку",
		"%s күйі: «%s»; тек ашық өтінімді өзгертуге болады"},
	"%s is %s; only an OPEN or SCHEDULED request can be cancelled": {
		"%s в состоянии «%s»; отменить можно только открытую или запланированную заявку",
		"%s күйі: «%s»; тек ашық немесе жоспардағы өтінімді тоқтатуға болады"},
	"%s is %s; only a PLANNED run can be changed": {"%s в состоянии «%s»; изменить можно только запланированный рейс",
		"%s күйі: «%s»; тек жоспарланған рейсті өзгертуге болады"},
	"%s is %s%s; only an OPEN request can be assigned": {"%s в состоянии «%s»%s; назначить можно только открытую заявку",
		"%s күйі: «%s»%s; тек ашық өтінімді тағайындауға болады"},
	" on %s": {" в рейсе %s", " (%s рейсінде)"},
	"%s is %s; %s needs a run that is %s": {"%s в состоянии «%s»; для действия «%s» рейс должен быть в состоянии «%s»",
		"%s күйі: «%s»; %s тек рейс «%s» күйінде болғанда мүмкін"},
	"%s is already %s": {"%s уже в состоянии «%s»", "%s қазірдің өзінде «%s» күйінде"},
	"%s has deliveries recorded against its lines; its lines cannot change (file a new request for more)": {
		"%s: по позициям уже есть доставки, менять позиции нельзя (если нужно больше, подайте новую заявку)",
		"%s: позициялар бойынша жеткізу тіркелген, позицияларды өзгертуге болмайды (көбірек керек болса, жаңа өтінім беріңіз)"},
	"%s has no stops; assign requests before dispatching it": {"%s: остановок нет; назначьте заявки, прежде чем отправлять рейс",
		"%s: аялдама жоқ; рейсті жібермес бұрын өтінімдер тағайындаңыз"},
	"%s has %d stops still PENDING; deliver or fail each before completing": {
		"%s: не отмечено остановок: %d; прежде чем завершить рейс, отметьте каждую как доставленную или недоставленную",
		"%s: белгіленбеген аялдама саны %d; рейсті аяқтамас бұрын әрқайсысын жеткізілді не жеткізілмеді деп белгілеңіз"},
	"%s is not on %s": {"%s не входит в %s", "%s мына рейсте жоқ: %s"},
	"%s is for %s, not the ward of stop %d of %s": {"%s предназначена для %s, а не для отделения остановки %d рейса %s",
		"%[1]s өтінімі %[2]s үшін, %[4]s рейсінің %[3]d-аялдамасындағы бөлімше үшін емес"},
	"%s of the plan has no stops": {"%s из плана: нет остановок", "Жоспардағы %s: аялдама жоқ"},
	"%s would carry %d delivery requests; a run carries at most %d delivery requests, so plan another run for the rest": {
		"%s: было бы заявок — %d, а рейс берёт не больше %d; для остальных запланируйте ещё один рейс",
		"%s: өтінім саны %d болар еді, ал бір рейс ең көбі %d өтінім алады; қалғанына тағы бір рейс жоспарлаңыз"},
	"the load would be %.1f kg but %s carries at most %.1f kg; %s or set override_capacity": {
		"Груз составил бы %.1f кг, а %s везёт не больше %.1f кг; %s или назначьте сверх вместимости",
		"Жүк %.1f кг болар еді, ал %s ең көбі %.1f кг тасиды; %s немесе сыйымдылықтан асырып тағайындаңыз"},
	"%s carries %.1f kg but %s carries at most %.1f kg; take requests off, choose another volunteer, or accept the load with override_capacity on an update of the run": {
		"%s везёт %.1f кг, а %s может везти не больше %.1f кг; снимите заявки, выберите другого водителя или подтвердите груз сверх вместимости",
		"%s рейсі %.1f кг тасиды, ал %s ең көбі %.1f кг тасый алады; өтінімдерді алып тастаңыз, басқа жүргізуші таңдаңыз немесе сыйымдылықтан асқан жүкті растаңыз"},
	"no active volunteer to plan for": {"Нет работающих водителей, на которых можно планировать", "Жоспарлауға белсенді жүргізуші жоқ"},
	"no depot to plan from has a location; set the depots' locations first": {
		"Ни у одного склада нет координат; сначала укажите, где находятся склады",
		"Бірде-бір қойманың координаты жоқ; алдымен қоймалардың орнын көрсетіңіз"},
	"%d requests are OPEN, more than the %d one plan takes; name delivery_requests to plan them in parts": {
		"Открытых заявок: %d — больше, чем %d, которые вмещает один план; планируйте их частями",
		"Ашық өтінім саны: %d, ал бір жоспар ең көбі %d өтінімді қамтиды; оларды бөліп жоспарлаңыз"},
	"delivery_requests[%d]: %s is %s; only OPEN requests can be planned": {
		"Заявка %[2]s (пункт %[1]d) в состоянии «%[3]s»; планировать можно только открытые заявки",
		"%[2]s өтінімі (%[1]d-тармақ) «%[3]s» күйінде; тек ашық өтінімдерді жоспарлауға болады"},

	// Permission, sign-in and rate.
	"a %s may not call %s":            {"Роль «%s» не даёт права на %s", "«%s» рөлі %s шақыра алмайды"},
	"missing or invalid bearer token": {"Токен доступа не указан или недействителен", "Кіру токені көрсетілмеген немесе жарамсыз"},
	"too many calls with this token; retry in %s": {"Слишком много запросов с этим токеном; повторите через %s",
		"Бұл токенмен сұрау тым көп; %s кейін қайталаңыз"},
	"too many calls without a token from %s; retry in %s": {"Слишком много запросов без токена с адреса %s; повторите через %s",
		"%s мекенжайынан токенсіз сұраулар тым көп; %s кейін қайталаңыз"},
	"too many failed authentications from %s; retry in %s": {"Слишком много неудачных входов с адреса %s; повторите через %s",
		"%s мекенжайынан сәтсіз кіру әрекеті тым көп; %s кейін қайталаңыз"},
	"the server is busy; retry in a moment":          {"Сервер занят; повторите чуть позже", "Сервер бос емес; сәлден соң қайталаңыз"},
	"the database is busy; retry in a moment":        {"База данных занята; повторите чуть позже", "Дерекқор бос емес; сәлден соң қайталаңыз"},
	"the database could not take the change; retry":  {"База данных не смогла принять изменение; повторите", "Дерекқор өзгерісті қабылдай алмады; қайталаңыз"},
	"the request body is over the limit of %d bytes": {"Запрос больше допустимого размера (%d байт)", "Сұрау көлемі шектен асты (ең көбі %d байт)"},
	"%d event streams are already open with this token, as many as one token may; close one first": {
		"С этим токеном уже открыто потоков событий: %d — это предел; сначала закройте один",
		"Бұл токенмен ашық оқиға ағыны: %d, бұл — шек; алдымен біреуін жабыңыз"},
	"the server already follows %d event streams, as many as it may; retry in a minute": {
		"Сервер уже ведёт предельное число потоков событий (%d); повторите через минуту",
		"Сервер оқиға ағындарының шекті санын (%d) жүргізіп отыр; бір минуттан соң қайталаңыз"},
	"internal error":                                {"Внутренняя ошибка сервера", "Сервердің ішкі қатесі"},
	"the call was cancelled":                        {"Запрос отменён", "Сұрау тоқтатылды"},
	"the call's deadline passed before it finished": {"Время ожидания запроса истекло", "Сұрауды күту уақыты бітті"},

	// Validation of text and numbers.
	"%s is required": {"Заполните поле «%s»", "«%s» өрісін толтырыңыз"},
	"%s must be at most %d characters (got %d)": {"«%s»: не больше %d символов (сейчас %d)", "«%s»: ең көбі %d таңба (қазір %d)"},
	"%s must be at most %d characters":          {"«%s»: не больше %d символов", "«%s»: ең көбі %d таңба"},
	"%s must be valid UTF-8 text":               {"«%s»: текст в недопустимой кодировке (нужен UTF-8)", "«%s»: мәтін UTF-8 кодтауында болуы керек"},
	"%s must not contain control characters":    {"«%s» не должно содержать управляющих символов", "«%s» ішінде басқару таңбалары болмауы керек"},
	"%s must not contain invisible or direction-changing characters (U+%04X at character %d)": {
		"«%s» не должно содержать невидимых символов и символов смены направления текста (U+%04X, символ %d)",
		"«%s» ішінде көрінбейтін не мәтін бағытын өзгертетін таңбалар болмауы керек (U+%04X, %d-таңба)"},
	"%s may hold only digits, spaces, dashes, parentheses and a leading +": {
		"«%s» может содержать только цифры, пробелы, дефисы, скобки и + в начале",
		"«%s» тек цифрлардан, бос орындардан, сызықшалардан, жақшалардан және басындағы + белгісінен тұра алады"},
	"%s must have at least 5 digits":         {"«%s»: нужно не меньше 5 цифр", "«%s»: кемінде 5 цифр болуы керек"},
	"latitude must be between -90 and 90":    {"Широта должна быть от -90 до 90", "Ендік -90 мен 90 аралығында болуы керек"},
	"longitude must be between -180 and 180": {"Долгота должна быть от -180 до 180", "Бойлық -180 мен 180 аралығында болуы керек"},
	"%s is out of range: it must be a time between %d and %d (got %s)": {
		"«%s» вне допустимого диапазона: нужно время между %d и %d годом (получено %s)",
		"«%s» рұқсат етілген аралықтан тыс: уақыт %d және %d жылдар аралығында болуы керек (берілгені %s)"},
	"description (line %d)": {"Описание (позиция %d)", "Сипаттама (%d-позиция)"},

	// A delivery request and its lines.
	"ward is required":                               {"Выберите отделение", "Бөлімшені таңдаңыз"},
	"lines must have at least one line item":         {"Добавьте хотя бы одну позицию", "Кемінде бір позиция қосыңыз"},
	"lines must have at most %d line items (got %d)": {"Не больше %d позиций (сейчас %d)", "Ең көбі %d позиция (қазір %d)"},
	"lines must list at most %d lines (got %d)":      {"Не больше %d позиций (сейчас %d)", "Ең көбі %d позиция (қазір %d)"},
	"priority must be one of %s":                     {"Срочность должна быть одной из: %s", "Шұғылдық мыналардың бірі болуы керек: %s"},
	"priority must be one of ROUTINE, URGENT, CRITICAL": {"Срочность должна быть одной из: обычная, срочная, критичная",
		"Шұғылдық мыналардың бірі болуы керек: кәдімгі, шұғыл, аса шұғыл"},
	"category must be one of FRUIT, VEGETABLES, JUICE, MEALS, WATER, OTHER": {
		"Категория должна быть одной из: фрукты, овощи, сок, горячее питание, вода, другое",
		"Санат мыналардың бірі болуы керек: жемістер, көкөністер, шырын, ыстық тамақ, су, басқа"},
	"category must be one of %s (line %d)": {"Категория должна быть одной из: %s (позиция %d)", "Санат мыналардың бірі болуы керек: %s (%d-позиция)"},
	"unit must be one of %s (line %d)":     {"Единица должна быть одной из: %s (позиция %d)", "Өлшем бірлігі мыналардың бірі болуы керек: %s (%d-позиция)"},
	"unit %s does not suit %s; use one of %s (line %d)": {
		"Единица «%s» не подходит для категории «%s»; выберите одну из: %s (позиция %d)",
		"«%s» өлшем бірлігі «%s» санатына сәйкес келмейді; мыналардың бірін таңдаңыз: %s (%d-позиция)"},
	"quantity must be greater than 0 (line %d)":        {"Количество должно быть больше 0 (позиция %d)", "Мөлшері 0-ден көп болуы керек (%d-позиция)"},
	"quantity must be at most %d (line %d)":            {"Количество — не больше %d (позиция %d)", "Мөлшері ең көбі %d (%d-позиция)"},
	"quantity must not be negative (line %d)":          {"Количество не может быть отрицательным (позиция %d)", "Мөлшері теріс бола алмайды (%d-позиция)"},
	"quantity must be a whole number of %s (line %d)":  {"Количество должно быть целым (единица: %s) (позиция %d)", "Мөлшері бүтін сан болуы керек (өлшем бірлігі: %s) (%d-позиция)"},
	"quantity %v (line %d)":                            {"Количество: %v (позиция %d)", "Мөлшері: %v (%d-позиция)"},
	"must be a number":                                 {"нужно число", "сан болуы керек"},
	"must be at most %d":                               {"не больше %d", "ең көбі %d"},
	"must have at most 3 decimal places":               {"не больше 3 знаков после запятой", "үтірден кейін ең көбі 3 таңба"},
	"headcount must be between 0 and %d":               {"Число человек должно быть от 0 до %d", "Адам саны 0 мен %d аралығында болуы керек"},
	"staff_on_shift must be between 0 and %d":          {"Сотрудников на смене должно быть от 0 до %d", "Ауысымдағы қызметкерлер саны 0 мен %d аралығында болуы керек"},
	"capacity_kg must be between 0 and %d":             {"Грузоподъёмность должна быть от 0 до %d кг", "Жүк көтергіштігі 0 мен %d кг аралығында болуы керек"},
	"vehicle_kind must be one of %s":                   {"Транспорт должен быть одним из: %s", "Көлік түрі мыналардың бірі болуы керек: %s"},
	"deliver_before is required":                       {"Укажите, к какому времени нужно", "Қай уақытқа керек екенін көрсетіңіз"},
	"deliver_before must be after deliver_after":       {"«Нужно к» должно быть позже, чем «Не раньше»", "«Қай уақытқа керек» уақыты «Ертеректе емес» уақытынан кейін болуы керек"},
	"deliver_before must not be in the past":           {"«Нужно к» не может быть в прошлом", "«Қай уақытқа керек» уақыты өтіп кеткен уақыт бола алмайды"},
	"deliver_before must be within %d days":            {"«Нужно к» — не дальше чем через %d дн.", "«Қай уақытқа керек» уақыты %d күн ішінде болуы керек"},
	"delivery_requests must name at least one request": {"Выберите хотя бы одну заявку", "Кемінде бір өтінімді таңдаңыз"},
	"delivery_requests must name at most %d requests (got %d)": {"Можно выбрать не больше %d заявок (выбрано %d)",
		"Ең көбі %d өтінім таңдауға болады (таңдалғаны %d)"},
	"delivery_requests lists %s twice (items %d and %d)": {"Заявка %s указана дважды (пункты %d и %d)",
		"%s өтінімі екі рет көрсетілген (%d және %d тармақтар)"},

	// A run, its stops and drops.
	"volunteer is required":          {"Выберите водителя", "Жүргізушіні таңдаңыз"},
	"depot is required":              {"Выберите склад", "Қойманы таңдаңыз"},
	"planned_start_time is required": {"Укажите время выезда", "Шығу уақытын көрсетіңіз"},
	"planned_start_time must not be more than an hour in the past": {"Время выезда не может быть больше чем на час в прошлом",
		"Шығу уақыты бір сағаттан артық өтіп кеткен уақыт бола алмайды"},
	"planned_start_time must be within 30 days": {"Время выезда — не дальше чем через 30 дней", "Шығу уақыты 30 күн ішінде болуы керек"},
	"stops must list at most %d stops, the run's own (got %d)": {"Можно указать не больше %d остановок этого рейса (указано %d)",
		"Осы рейстің ең көбі %d аялдамасын көрсетуге болады (көрсетілгені %d)"},
	"stops must list each of the run's stops exactly once, in the new order (the run has %s)": {
		"Перечислите каждую остановку рейса ровно один раз, в новом порядке (в рейсе: %s)",
		"Рейстің әр аялдамасын жаңа ретпен дәл бір рет атаңыз (рейсте: %s)"},
	"%s is not dropped at this stop (line %d)": {"%s не доставляется на эту остановку (позиция %d)", "%s бұл аялдамаға жеткізілмейді (%d-позиция)"},
	"line must be between 0 and %d for %s (line %d)": {"Номер строки заявки %[2]s должен быть от 0 до %[1]d (позиция %[3]d)",
		"%[2]s өтінімінің жол нөмірі 0 мен %[1]d аралығында болуы керек (%[3]d-позиция)"},
	"line %d of %s is given twice": {"Строка %d заявки %s указана дважды", "%[2]s өтінімінің %[1]d-жолы екі рет көрсетілген"},
	"quantity %s is more than the %s %s still outstanding, with %d%% tolerance (line %d)": {
		"Количество %s больше, чем осталось доставить (%s %s), даже с допуском %d%% (позиция %d)",
		"%s мөлшері жеткізуге қалғаннан (%s %s) %d%% рұқсатпен де көп (%d-позиция)"},

	// Planning the day.
	"start_time must not be more than an hour in the past": {"Начало не может быть больше чем на час в прошлом",
		"Басталу уақыты бір сағаттан артық өтіп кеткен уақыт бола алмайды"},
	"start_time must be within 30 days": {"Начало должно быть не дальше чем через 30 дней", "Басталу уақыты 30 күн ішінде болуы керек"},
	"shift_end_time must be after start_time and within 24 hours of it": {"Конец смены должен быть позже начала и не дальше 24 часов от него",
		"Ауысымның соңы басталғаннан кейін және 24 сағат ішінде болуы керек"},
	"time_limit must be more than 0 and at most %s": {"Время на расчёт должно быть больше 0 и не больше %s", "Есептеу уақыты 0-ден көп және ең көбі %s болуы керек"},
	"%s may name at most %d (got %d)":               {"«%s»: можно указать не больше %d (указано %d)", "«%s»: ең көбі %d көрсетуге болады (көрсетілгені %d)"},
	"%s is named twice (items %d and %d)":           {"%s указан дважды (пункты %d и %d)", "%s екі рет көрсетілген (%d және %d тармақтар)"},
	"%s is already on %s of the plan":               {"%s уже есть в %s этого плана", "%s осы жоспардың %s ішінде бар"},
	"each stop must name its delivery requests":     {"У каждой остановки должны быть указаны её заявки", "Әр аялдаманың өтінімдері көрсетілуі керек"},
	"a proposed run must have stops":                {"В предложенном рейсе должны быть остановки", "Ұсынылған рейсте аялдамалар болуы керек"},

	// Donations, purchases and the depots' stock.
	"a donation must be either money or goods": {"Пожертвование должно быть либо деньгами, либо товарами",
		"Қайырымдылық не ақша, не тауар болуы керек"},
	"receive_time must not be in the future":  {"Время получения не может быть в будущем", "Алған уақыт болашақта бола алмайды"},
	"purchase_time must not be in the future": {"Время закупки не может быть в будущем", "Сатып алу уақыты болашақта бола алмайды"},
	"money.amount must be greater than 0":     {"Сумма должна быть больше 0", "Сома 0-ден көп болуы керек"},
	"amount must be greater than 0":           {"Сумма должна быть больше 0", "Сома 0-ден көп болуы керек"},
	"money.channel must be one of %s":         {"Способ оплаты должен быть одним из: %s", "Төлем тәсілі мыналардың бірі болуы керек: %s"},
	"goods.depot is required":                 {"Выберите склад", "Қойманы таңдаңыз"},
	"%s must have at least one line":          {"«%s»: добавьте хотя бы одну позицию", "«%s»: кемінде бір позиция қосыңыз"},
	"%s must have at most %d lines (got %d)":  {"«%s»: не больше %d позиций (сейчас %d)", "«%s»: ең көбі %d позиция (қазір %d)"},
	"%s must be a day of the calendar between the years %d and %d (got %04d-%02d-%02d)": {
		"«%s»: нужна дата между %d и %d годом (получено %04d-%02d-%02d)",
		"«%s»: %d және %d жылдар аралығындағы күн болуы керек (берілгені %04d-%02d-%02d)"},
	"currency_code %v": {"Валюта: %v", "Валюта: %v"},
	"must be an ISO 4217 code of three capital letters such as KZT or USD (got %q)": {
		"нужен код ISO 4217 из трёх заглавных букв, например KZT или USD (получено %q)",
		"KZT немесе USD сияқты үш бас әріпті ISO 4217 коды болуы керек (берілгені %q)"},
	"must be an ISO 4217 currency code such as KZT or USD (got %q)": {
		"нужен код валюты ISO 4217, например KZT или USD (получено %q)",
		"KZT немесе USD сияқты ISO 4217 валюта коды болуы керек (берілгені %q)"},
	"funding_donations must name at most %d donations (got %d)": {"Можно выбрать не больше %d пожертвований (выбрано %d)",
		"Ең көбі %d қайырымдылық таңдауға болады (таңдалғаны %d)"},
	"funding_donations must name at most 100 donations (got %d)": {"Можно выбрать не больше 100 пожертвований (выбрано %d)",
		"Ең көбі 100 қайырымдылық таңдауға болады (таңдалғаны %d)"},
	"funding_donations names %s twice; name each once": {"Пожертвование %s выбрано дважды; выберите каждое один раз",
		"%s қайырымдылығы екі рет таңдалған; әрқайсысын бір рет таңдаңыз"},
	"donation %s does not exist": {"Пожертвования %s нет", "%s қайырымдылығы жоқ"},
	"%s is itself a reversing entry (of %s); it cannot be reversed": {
		"Запись %s сама отменяет запись %s; её отменить нельзя",
		"%s жазбасы өзі %s жазбасының күшін жояды; оның күшін жоюға болмайды"},
	"%s was already reversed by %s": {"Запись %s уже отменена записью %s", "%s жазбасының күші %s жазбасымен жойылып қойған"},
	"%s of %s was already spent on purchases; it cannot be reversed": {
		"%[2]s: на закупки уже потрачено %[1]s; отменить нельзя",
		"%[2]s: сатып алуға %[1]s жұмсалып қойған; күшін жоюға болмайды"},
	"goods of %s were already used (%s); it cannot be reversed": {
		"%s: товары уже использованы (%s); отменить нельзя",
		"%s: тауарлар қолданылып қойған (%s); күшін жоюға болмайды"},
	"%s is a gift of goods; a purchase is paid from money donations": {
		"%s — пожертвование товарами; закупку оплачивают из денежных пожертвований",
		"%s — тауармен берілген қайырымдылық; сатып алу ақшалай қайырымдылықтан төленеді"},
	"%s is a reversing entry; it holds no money": {"Запись %s отменяет другую; денег в ней нет",
		"%s жазбасы басқа жазбаның күшін жояды; онда ақша жоқ"},
	"%s was reversed by %s; it holds no money": {"Запись %s отменена записью %s; денег в ней нет",
		"%s жазбасының күші %s жазбасымен жойылған; онда ақша жоқ"},
	"%s is in %s, the purchase in %s; the service never converts between currencies": {
		"%s: валюта %s, а у закупки — %s; сервис не пересчитывает одну валюту в другую",
		"%s: валютасы %s, ал сатып алудың валютасы %s; сервис валюталарды айырбастамайды"},
	"%s available, purchase is %s": {"Доступно %s, а закупка стоит %s", "Қолда бар: %s, ал сатып алу сомасы: %s"},
	"%s available at %s, when the purchase was made; purchase is %s": {
		"На %[2]s, когда сделана закупка, было доступно %[1]s, а закупка стоит %[3]s",
		"Сатып алу жасалған %[2]s кезінде қолда %[1]s болды, ал сатып алу сомасы: %[3]s"},
	"%s was received at %s, after the purchase was made at %s; money is spent only once it has come": {
		"%s поступило %s, уже после закупки (%s); тратить можно только поступившие деньги",
		"%s %s түсті, бұл сатып алудан (%s) кейін; тек түскен ақшаны жұмсауға болады"},
	"%s available in %s, purchase is %s": {"Доступно %s (пожертвования %s), а закупка стоит %s",
		"Қолда бар: %s (%s қайырымдылықтары), ал сатып алу сомасы: %s"},
	"quantity %v":                     {"Количество: %v", "Мөлшері: %v"},
	"quantity must be greater than 0": {"Количество должно быть больше 0", "Мөлшері 0-ден көп болуы керек"},
	"quantity must be a whole number of %s": {"Количество должно быть целым (единица: %s)",
		"Мөлшері бүтін сан болуы керек (өлшем бірлігі: %s)"},
	"%s has %s on hand; %s cannot be written off": {"%s: в наличии %s; списать %s нельзя",
		"%s: қолда %s бар; %s есептен шығаруға болмайды"},
	"%s; take requests off, receive more goods, or set override_stock to go with what there is": {
		"Не хватает запасов — %s; снимите заявки, примите ещё товары или подтвердите рейс с тем, что есть",
		"Қор жетпейді — %s; өтінімдерді алып тастаңыз, тағы тауар қабылдаңыз немесе бар қормен жіберуді растаңыз"},
	// A shortage the stock check lists: the last argument stays last, so
	// that a list of them is told one after another.
	"%s has %s; this run needs %s": {"%s: в наличии %s; этому рейсу нужно: %s", "%s: қолда %s бар; бұл рейске керегі: %s"},
	// An amount of money a person typed that the currency cannot hold
	// (supply.MoneyFromParts, after the field).
	"%s has more decimal places than %s has (%d)": {"«%s»: слишком много знаков после запятой (у %s их %d)",
		"«%s»: үтірден кейінгі таңба тым көп (%s үшін %d)"},
	"%s must be at most %s %s": {"«%s»: не больше %s %s", "«%s»: ең көбі %s %s"},
	// An amount of goods (supply.Amount).
	"%s kg of %s":       {"%s кг (%s)", "%s кг (%s)"},
	"%s l of %s":        {"%s л (%s)", "%s л (%s)"},
	"%s portions of %s": {"%s порц. (%s)", "%s порц. (%s)"},
	"%s pieces of %s":   {"%s шт. (%s)", "%s дана (%s)"},
	"%s boxes of %s":    {"%s кор. (%s)", "%s қорап (%s)"},
	"%s kg":             {"%s кг", "%s кг"},
	"%s l":              {"%s л", "%s л"},
	"%s portions":       {"%s порц.", "%s порц."},
	"%s pieces":         {"%s шт.", "%s дана"},
	"%s boxes":          {"%s кор.", "%s қорап"},
}

// words are the arguments a message may carry that are words, not names:
// fields as the pages label them, states, units, what a run was asked to
// do. The Russian ones stand in «» or after a colon, so they need no case.
var words = map[string]translation{
	"display_name":          {"Название", "Атауы"},
	"name":                  {"Имя", "Аты"},
	"phone":                 {"Телефон", "Телефон"},
	"contact_phone":         {"Контактный телефон", "Байланыс телефоны"},
	"address":               {"Адрес", "Мекенжай"},
	"hours":                 {"Часы работы", "Жұмыс уақыты"},
	"building":              {"Корпус", "Ғимарат"},
	"drop_off_instructions": {"Куда передать", "Қайда тапсыру"},
	"delivery_notes":        {"Заметки для доставки", "Жеткізу ескертпелері"},
	"reason":                {"Причина", "Себебі"},
	"notes":                 {"Примечания", "Ескертпелер"},
	"note":                  {"Заметка", "Ескертпе"},
	"dietary_notes":         {"Особенности питания", "Тамақтану ерекшеліктері"},
	"received_by":           {"Кто принял", "Кім қабылдады"},
	"description":           {"Описание", "Сипаттама"},
	"deliver_before":        {"Нужно к", "Қай уақытқа керек"},
	"deliver_after":         {"Не раньше", "Ертеректе емес"},
	"planned_start_time":    {"Выезд", "Шығу уақыты"},
	"ward":                  {"Отделение", "Бөлімше"},
	"volunteer":             {"Водитель", "Жүргізуші"},
	"depot":                 {"Склад", "Қойма"},
	"volunteers":            {"Водители", "Жүргізушілер"},
	"depots":                {"Склады", "Қоймалар"},
	"delivery_requests":     {"Заявки", "Өтінімдер"},
	"lines":                 {"Позиции", "Позициялар"},
	"best_before":           {"Годен до", "Жарамдылық мерзімі"},
	"expire_before":         {"Истекает до", "Мерзімі бітетін күн"},
	"amount":                {"Сумма", "Сома"},
	"contact":               {"Контакт", "Байланыс"},
	"supplier":              {"Поставщик", "Жабдықтаушы"},
	"receipt_reference":     {"Номер чека", "Чек нөмірі"},
	"payment_reference":     {"Номер платежа", "Төлем нөмірі"},

	"KASPI_GOLD": {"Kaspi Gold", "Kaspi Gold"}, "BANK_TRANSFER": {"Банковский перевод", "Банк аударымы"},
	"CASH": {"Наличные", "Қолма-қол ақша"},

	"OPEN": {"Открыта", "Ашық"}, "SCHEDULED": {"В плане", "Жоспарда"}, "IN_TRANSIT": {"В пути", "Жолда"},
	"DELIVERED": {"Доставлено", "Жеткізілді"}, "CANCELLED": {"Отменено", "Тоқтатылды"},
	"PLANNED": {"Запланирован", "Жоспарланған"}, "DISPATCHED": {"Отправлен", "Жіберілген"}, "IN_PROGRESS": {"В пути", "Жолда"},
	"COMPLETED": {"Завершён", "Аяқталды"}, "PENDING": {"Ожидает", "Күтуде"}, "FAILED": {"Не доставлено", "Жеткізілмеді"},

	"FRUIT": {"Фрукты", "Жемістер"}, "VEGETABLES": {"Овощи", "Көкөністер"}, "JUICE": {"Сок", "Шырын"},
	"MEALS": {"Горячее питание", "Ыстық тамақ"}, "WATER": {"Вода", "Су"}, "OTHER": {"Другое", "Басқа"},
	"ROUTINE": {"Обычная", "Кәдімгі"}, "URGENT": {"Срочная", "Шұғыл"}, "CRITICAL": {"Критичная", "Аса шұғыл"},
	"KILOGRAM": {"кг", "кг"}, "LITER": {"л", "л"}, "PORTION": {"порц.", "порц."}, "PIECE": {"шт.", "дана"}, "BOX": {"кор.", "қорап"},
	"CAR": {"Легковой автомобиль", "Жеңіл көлік"}, "VAN": {"Фургон", "Фургон"}, "TRUCK": {"Грузовик", "Жүк көлігі"},
	"BICYCLE": {"Велосипед", "Велосипед"}, "ON_FOOT": {"Пешком", "Жаяу"},
	"admin": {"администратор", "әкімші"}, "coordinator": {"координатор", "үйлестіруші"},
	"staff": {"сотрудник больницы", "аурухана қызметкері"}, "driver": {"водитель", "жүргізуші"},

	"assigning requests":      {"назначение заявок", "өтінім тағайындау"},
	"placing stops":           {"расстановка остановок", "аялдамаларды орналастыру"},
	"taking requests off":     {"снятие заявок", "өтінімдерді алып тастау"},
	"dispatching":             {"отправка", "жіберу"},
	"starting":                {"начало рейса", "рейсті бастау"},
	"delivering":              {"доставка", "жеткізу"},
	"reporting a failed drop": {"отметка о недоставке", "жеткізілмегенін белгілеу"},
	"completing":              {"завершение", "аяқтау"},
	"cancelling":              {"отмена", "тоқтату"},

	"set active to false instead": {"вместо этого сделайте неактивным", "оның орнына белсенді емес етіңіз"},
	"cancel it instead":           {"вместо этого отмените", "оның орнына тоқтатыңыз"},
	"archive it instead":          {"вместо этого отправьте в архив", "оның орнына мұрағатқа жіберіңіз"},
	"new wards":                   {"новые отделения", "жаңа бөлімшелер"},
	"new delivery requests":       {"новые заявки", "жаңа өтінімдер"},

	"choose a volunteer who carries it, take requests off": {"выберите водителя, который это увезёт, или снимите заявки",
		"мұны тасый алатын жүргізуші таңдаңыз, өтінімдерді алып тастаңыз"},
	"assign fewer requests": {"назначьте меньше заявок", "азырақ өтінім тағайындаңыз"},
	"plan again":            {"спланируйте заново", "қайта жоспарлаңыз"},
}
