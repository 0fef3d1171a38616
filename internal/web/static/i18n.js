// Labels in English, Russian and Kazakh, and the formatting of times,
// days and quantities in the chosen language. Text entered by people is
// shown as entered; only the page's own words are translated.

const LANG_KEY = 'aqjurek.lang';
const LOCALES = { en: 'en-GB', ru: 'ru-RU', kk: 'kk-KZ' };

const en = {
  skipToContent: 'Skip to content', language: 'Language', signOut: 'Sign out', loading: 'Loading…',
  live: 'Live', offline: 'Offline — reconnecting…',
  signInTitle: 'Sign in', signInIntro: 'Paste the access token you were given. It stays in this browser until you sign out.',
  token: 'Access token', signIn: 'Sign in', tokenRejected: 'This token was not accepted. Check it, or ask a coordinator for a new one.',
  tokenMissing: 'Paste a token first.',
  role_admin: 'administrator', role_coordinator: 'coordinator', role_staff: 'hospital staff', role_driver: 'driver',
  signedInAs: '{name} · {role}',
  boardTitle: 'Coordination board', openNeeds: 'Open needs', deliveredChart: 'Delivered, last 14 days', todaysRuns: "Today's runs",
  map: 'Map', activity: 'Latest activity',
  tileOpen: 'open needs', tileOverdue: 'overdue', tileCritical: 'critical waiting', tileScheduled: 'on a planned run',
  tileInTransit: 'on the road', tileOnRoad: 'runs under way', tileDelivered: 'delivered in all', tileOutstanding: 'Still to deliver', nothing: 'nothing',
  filters: 'Filters', hospital: 'Hospital', category: 'Category', priority: 'Priority', state: 'State', all: 'All', waiting: 'Waiting for goods',
  selectedCount: '{n} selected: choose a planned run and press “Assign selected”.', selectHint: 'Tick open needs to assign them to a run.',
  noNeeds: 'No needs match.', overdue: 'Overdue', dueBy: 'due {time}', people: '{n} people',
  progress: 'Progress', stopsDone: '{done} of {total} stops done', requests: '({n} requests)',
  moveUpLabel: 'Move {stop} earlier', moveDownLabel: 'Move {stop} later', noStops: 'No stops yet.',
  cancelledBecause: 'Cancelled: {reason}', showRoute: 'Show route', assignSelected: 'Assign selected ({n})',
  assignAnyway: 'Assign anyway, over capacity', dispatch: 'Dispatch', cancelRun: 'Cancel run', cancelReason: 'Reason',
  confirmCancel: 'Cancel the run', keepRun: 'Keep the run', failed: 'Failed', choose: 'Choose…',
  runPlanned: 'Run planned.', planRun: 'Plan a run', driver: 'Driver', depot: 'Depot', plannedStart: 'Leaves at', notes: 'Notes',
  planRunButton: 'Plan run', noPlaces: 'No places with coordinates yet.', mapLabel: 'Hospitals and depots',
  mapRouteLabel: 'Route of {driver}', noDeliveries: 'Nothing delivered in the last 14 days.', asTable: 'Show as a table', day: 'Day',
  noActivity: 'Nothing has happened yet.', noRuns: 'No runs today.', startsAt: 'leaves {time}', loadKg: '{n} kg',
  ourRequests: "Our hospital's requests", lineN: 'Line {n}', what: 'What exactly', quantity: 'Quantity', unit: 'Unit',
  removeLine: 'Remove this line', needFiled: 'Need filed. Coordinators see it now.', needSaved: 'Changes saved.',
  editNeed: 'Change a need', fileNeed: 'File a need', ward: 'Ward', addLine: 'Add a line', headcount: 'People to feed',
  deliverAfter: 'Not before', deliverBefore: 'Needed by', dietaryNotes: 'Dietary needs', saveChanges: 'Save changes',
  fileNeedButton: 'File the need', stopEditing: 'Stop editing', noRequests: 'No requests yet.',
  deliveredOf: '{n} delivered', onTheWay: '{n} on the way', edit: 'Change', cancelNeed: 'Cancel', confirmCancelNeed: 'Cancel this need', keepNeed: 'Keep it',
  yourRun: 'Your run', noRunForYou: 'No run for you right now. A coordinator will dispatch one.', runFrom: 'From {depot}',
  pickUpAt: 'Pick up at {address}', startRun: 'Start the run', finishRun: 'Finish the run', address: 'Address', building: 'Building',
  dropOff: 'Drop-off', hospitalNotes: 'Hospital notes', phone: 'Phone', receivedBy: 'Received by', failureReason: 'Why it could not be delivered',
  diet: 'Diet', ofN: 'of {n}', handOver: 'Hand over', receivedByName: 'Name of who received it', driverNote: 'Note (optional)',
  markDelivered: 'Delivered', couldNotDeliver: 'Could not deliver', markFailed: 'Mark as not delivered', back: 'Back',
  notSent: 'Not sent: no connection. Press again when online; it will not be counted twice.',
  FRUIT: 'Fruit', VEGETABLES: 'Vegetables', JUICE: 'Juice', MEALS: 'Meals', WATER: 'Water', OTHER: 'Other',
  ROUTINE: 'Routine', URGENT: 'Urgent', CRITICAL: 'Critical',
  OPEN: 'Open', SCHEDULED: 'Scheduled', IN_TRANSIT: 'In transit', DELIVERED: 'Delivered', CANCELLED: 'Cancelled',
  PLANNED: 'Planned', DISPATCHED: 'Dispatched', IN_PROGRESS: 'Under way', COMPLETED: 'Completed', PENDING: 'To do', FAILED: 'Not delivered',
  unit_KILOGRAM: 'kilograms', unit_LITER: 'litres', unit_PORTION: 'portions', unit_PIECE: 'pieces', unit_BOX: 'boxes',
  u_KILOGRAM: 'kg', u_LITER: 'l', u_PORTION: 'portions', u_PIECE: 'pcs', u_BOX: 'boxes',
};

const ru = {
  skipToContent: 'К содержимому', language: 'Язык', signOut: 'Выйти', loading: 'Загрузка…',
  live: 'В эфире', offline: 'Нет связи — подключаемся…',
  signInTitle: 'Вход', signInIntro: 'Вставьте выданный вам токен доступа. Он хранится в этом браузере, пока вы не выйдете.',
  token: 'Токен доступа', signIn: 'Войти', tokenRejected: 'Токен не принят. Проверьте его или попросите новый у координатора.',
  tokenMissing: 'Сначала вставьте токен.',
  role_admin: 'администратор', role_coordinator: 'координатор', role_staff: 'сотрудник больницы', role_driver: 'водитель',
  boardTitle: 'Координация', openNeeds: 'Открытые заявки', deliveredChart: 'Доставлено за 14 дней', todaysRuns: 'Рейсы на сегодня',
  map: 'Карта', activity: 'Последние события',
  tileOpen: 'открытых заявок', tileOverdue: 'просрочено', tileCritical: 'критичных ждут', tileScheduled: 'в плане рейса',
  tileInTransit: 'в пути', tileOnRoad: 'рейсов в пути', tileDelivered: 'доставлено всего', tileOutstanding: 'Осталось доставить', nothing: 'ничего',
  filters: 'Фильтры', hospital: 'Больница', category: 'Категория', priority: 'Срочность', state: 'Состояние', all: 'Все', waiting: 'Ждут доставки',
  selectedCount: 'Выбрано: {n}. Выберите запланированный рейс и нажмите «Назначить выбранные».', selectHint: 'Отметьте открытые заявки, чтобы назначить их на рейс.',
  noNeeds: 'Заявок нет.', overdue: 'Просрочено', dueBy: 'к {time}', people: '{n} чел.',
  progress: 'Ход рейса', stopsDone: 'Пройдено остановок: {done} из {total}', requests: '(заявок: {n})',
  moveUpLabel: '{stop} — раньше', moveDownLabel: '{stop} — позже', noStops: 'Остановок пока нет.',
  cancelledBecause: 'Отменено: {reason}', showRoute: 'Показать маршрут', assignSelected: 'Назначить выбранные ({n})',
  assignAnyway: 'Назначить сверх вместимости', dispatch: 'Отправить', cancelRun: 'Отменить рейс', cancelReason: 'Причина',
  confirmCancel: 'Отменить рейс', keepRun: 'Оставить рейс', failed: 'Ошибка', choose: 'Выберите…',
  runPlanned: 'Рейс запланирован.', planRun: 'Запланировать рейс', driver: 'Водитель', depot: 'Склад', plannedStart: 'Выезд', notes: 'Примечания',
  planRunButton: 'Запланировать', noPlaces: 'Пока нет мест с координатами.', mapLabel: 'Больницы и склады',
  mapRouteLabel: 'Маршрут: {driver}', noDeliveries: 'За 14 дней ничего не доставлено.', asTable: 'Показать таблицей', day: 'День',
  noActivity: 'Событий пока нет.', noRuns: 'Сегодня рейсов нет.', startsAt: 'выезд {time}', loadKg: '{n} кг',
  ourRequests: 'Заявки нашей больницы', lineN: 'Позиция {n}', what: 'Что именно', quantity: 'Количество', unit: 'Единица',
  removeLine: 'Убрать позицию', needFiled: 'Заявка подана. Координаторы уже её видят.', needSaved: 'Изменения сохранены.',
  editNeed: 'Изменить заявку', fileNeed: 'Подать заявку', ward: 'Отделение', addLine: 'Добавить позицию', headcount: 'Сколько человек',
  deliverAfter: 'Не раньше', deliverBefore: 'Нужно к', dietaryNotes: 'Особенности питания', saveChanges: 'Сохранить',
  fileNeedButton: 'Подать заявку', stopEditing: 'Не менять', noRequests: 'Заявок пока нет.',
  deliveredOf: 'доставлено {n}', onTheWay: 'в пути {n}', edit: 'Изменить', cancelNeed: 'Отменить', confirmCancelNeed: 'Отменить заявку', keepNeed: 'Оставить',
  yourRun: 'Ваш рейс', noRunForYou: 'Сейчас рейсов для вас нет. Координатор назначит.', runFrom: 'Со склада {depot}',
  pickUpAt: 'Забрать: {address}', startRun: 'Начать рейс', finishRun: 'Завершить рейс', address: 'Адрес', building: 'Корпус',
  dropOff: 'Куда передать', hospitalNotes: 'Заметки больницы', phone: 'Телефон', receivedBy: 'Принял(а)', failureReason: 'Почему не доставлено',
  diet: 'Питание', ofN: 'из {n}', handOver: 'Передача', receivedByName: 'Кто принял', driverNote: 'Заметка (необязательно)',
  markDelivered: 'Доставлено', couldNotDeliver: 'Не удалось доставить', markFailed: 'Отметить как не доставлено', back: 'Назад',
  notSent: 'Не отправлено: нет связи. Нажмите ещё раз, когда появится сеть; дважды не засчитается.',
  FRUIT: 'Фрукты', VEGETABLES: 'Овощи', JUICE: 'Сок', MEALS: 'Горячее питание', WATER: 'Вода', OTHER: 'Другое',
  ROUTINE: 'Обычная', URGENT: 'Срочная', CRITICAL: 'Критичная',
  OPEN: 'Открыта', SCHEDULED: 'В плане', IN_TRANSIT: 'В пути', DELIVERED: 'Доставлено', CANCELLED: 'Отменено',
  PLANNED: 'Запланирован', DISPATCHED: 'Отправлен', IN_PROGRESS: 'В пути', COMPLETED: 'Завершён', PENDING: 'Ожидает', FAILED: 'Не доставлено',
  unit_KILOGRAM: 'килограммы', unit_LITER: 'литры', unit_PORTION: 'порции', unit_PIECE: 'штуки', unit_BOX: 'коробки',
  u_KILOGRAM: 'кг', u_LITER: 'л', u_PORTION: 'порц.', u_PIECE: 'шт.', u_BOX: 'кор.',
};

const kk = {
  skipToContent: 'Мазмұнға өту', language: 'Тіл', signOut: 'Шығу', loading: 'Жүктелуде…',
  live: 'Тікелей', offline: 'Байланыс жоқ — қосылуда…',
  signInTitle: 'Кіру', signInIntro: 'Сізге берілген кіру токенін қойыңыз. Ол шыққанға дейін осы браузерде сақталады.',
  token: 'Кіру токені', signIn: 'Кіру', tokenRejected: 'Токен қабылданбады. Тексеріңіз немесе үйлестірушіден жаңасын сұраңыз.',
  tokenMissing: 'Алдымен токенді қойыңыз.',
  role_admin: 'әкімші', role_coordinator: 'үйлестіруші', role_staff: 'аурухана қызметкері', role_driver: 'жүргізуші',
  boardTitle: 'Үйлестіру тақтасы', openNeeds: 'Ашық өтінімдер', deliveredChart: 'Соңғы 14 күнде жеткізілгені', todaysRuns: 'Бүгінгі рейстер',
  map: 'Карта', activity: 'Соңғы оқиғалар',
  tileOpen: 'ашық өтінім', tileOverdue: 'мерзімі өткен', tileCritical: 'шұғыл күтуде', tileScheduled: 'рейс жоспарында',
  tileInTransit: 'жолда', tileOnRoad: 'жолдағы рейс', tileDelivered: 'барлығы жеткізілді', tileOutstanding: 'Әлі жеткізілетіні', nothing: 'ештеңе',
  filters: 'Сүзгілер', hospital: 'Аурухана', category: 'Санат', priority: 'Шұғылдық', state: 'Күйі', all: 'Барлығы', waiting: 'Жеткізуді күтуде',
  selectedCount: '{n} таңдалды: жоспарланған рейсті таңдап, «Таңдалғанды тағайындау» басыңыз.', selectHint: 'Рейске тағайындау үшін ашық өтінімдерді белгілеңіз.',
  noNeeds: 'Өтінім жоқ.', overdue: 'Мерзімі өтті', dueBy: '{time} дейін', people: '{n} адам',
  progress: 'Барысы', stopsDone: '{total} аялдаманың {done} өтті', requests: '({n} өтінім)',
  moveUpLabel: '{stop} — ертерек', moveDownLabel: '{stop} — кейінірек', noStops: 'Аялдама әлі жоқ.',
  cancelledBecause: 'Тоқтатылды: {reason}', showRoute: 'Бағытты көрсету', assignSelected: 'Таңдалғанды тағайындау ({n})',
  assignAnyway: 'Сыйымдылықтан асса да тағайындау', dispatch: 'Жіберу', cancelRun: 'Рейсті тоқтату', cancelReason: 'Себебі',
  confirmCancel: 'Рейсті тоқтату', keepRun: 'Рейсті қалдыру', failed: 'Қате', choose: 'Таңдаңыз…',
  runPlanned: 'Рейс жоспарланды.', planRun: 'Рейс жоспарлау', driver: 'Жүргізуші', depot: 'Қойма', plannedStart: 'Шығу уақыты', notes: 'Ескертпелер',
  planRunButton: 'Жоспарлау', noPlaces: 'Координаттары бар орын әлі жоқ.', mapLabel: 'Ауруханалар мен қоймалар',
  mapRouteLabel: 'Бағыт: {driver}', noDeliveries: 'Соңғы 14 күнде ештеңе жеткізілмеді.', asTable: 'Кесте түрінде', day: 'Күн',
  noActivity: 'Әлі оқиға жоқ.', noRuns: 'Бүгін рейс жоқ.', startsAt: 'шығуы {time}', loadKg: '{n} кг',
  ourRequests: 'Біздің аурухананың өтінімдері', lineN: '{n}-позиция', what: 'Нақты не', quantity: 'Мөлшері', unit: 'Өлшем бірлігі',
  removeLine: 'Позицияны алып тастау', needFiled: 'Өтінім берілді. Үйлестірушілер оны көріп тұр.', needSaved: 'Өзгерістер сақталды.',
  editNeed: 'Өтінімді өзгерту', fileNeed: 'Өтінім беру', ward: 'Бөлімше', addLine: 'Позиция қосу', headcount: 'Адам саны',
  deliverAfter: 'Ертеректе емес', deliverBefore: 'Қай уақытқа керек', dietaryNotes: 'Тамақтану ерекшеліктері', saveChanges: 'Сақтау',
  fileNeedButton: 'Өтінім беру', stopEditing: 'Өзгертпеу', noRequests: 'Өтінім әлі жоқ.',
  deliveredOf: '{n} жеткізілді', onTheWay: '{n} жолда', edit: 'Өзгерту', cancelNeed: 'Тоқтату', confirmCancelNeed: 'Өтінімді тоқтату', keepNeed: 'Қалдыру',
  yourRun: 'Сіздің рейсіңіз', noRunForYou: 'Қазір сізге рейс жоқ. Үйлестіруші тағайындайды.', runFrom: '{depot} қоймасынан',
  pickUpAt: 'Алатын жер: {address}', startRun: 'Рейсті бастау', finishRun: 'Рейсті аяқтау', address: 'Мекенжай', building: 'Ғимарат',
  dropOff: 'Қайда тапсыру', hospitalNotes: 'Аурухана ескертпесі', phone: 'Телефон', receivedBy: 'Қабылдаған', failureReason: 'Неге жеткізілмеді',
  diet: 'Тамақтану', ofN: '{n} ішінен', handOver: 'Тапсыру', receivedByName: 'Кім қабылдады', driverNote: 'Ескертпе (міндетті емес)',
  markDelivered: 'Жеткізілді', couldNotDeliver: 'Жеткізу мүмкін болмады', markFailed: 'Жеткізілмеді деп белгілеу', back: 'Артқа',
  notSent: 'Жіберілмеді: байланыс жоқ. Желі пайда болғанда қайта басыңыз; екі рет есептелмейді.',
  FRUIT: 'Жемістер', VEGETABLES: 'Көкөністер', JUICE: 'Шырын', MEALS: 'Ыстық тамақ', WATER: 'Су', OTHER: 'Басқа',
  ROUTINE: 'Кәдімгі', URGENT: 'Шұғыл', CRITICAL: 'Аса шұғыл',
  OPEN: 'Ашық', SCHEDULED: 'Жоспарда', IN_TRANSIT: 'Жолда', DELIVERED: 'Жеткізілді', CANCELLED: 'Тоқтатылды',
  PLANNED: 'Жоспарланған', DISPATCHED: 'Жіберілген', IN_PROGRESS: 'Жолда', COMPLETED: 'Аяқталды', PENDING: 'Күтуде', FAILED: 'Жеткізілмеді',
  unit_KILOGRAM: 'килограмм', unit_LITER: 'литр', unit_PORTION: 'порция', unit_PIECE: 'дана', unit_BOX: 'қорап',
  u_KILOGRAM: 'кг', u_LITER: 'л', u_PORTION: 'порц.', u_PIECE: 'дана', u_BOX: 'қорап',
};

export const dictionaries = { en, ru, kk };

function initial() {
  const saved = localStorage.getItem(LANG_KEY);
  if (saved && dictionaries[saved]) return saved;
  const browser = (navigator.language || 'en').slice(0, 2);
  return dictionaries[browser] ? browser : 'en';
}

let current = initial();

export const lang = () => current;

export function setLang(l) {
  if (!dictionaries[l]) return;
  current = l;
  localStorage.setItem(LANG_KEY, l);
}

// t returns the label for key in the current language, with {name}
// placeholders filled from vars; a missing label falls back to English.
export function t(key, vars = {}) {
  const text = dictionaries[current][key] ?? en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (vars[name] ?? `{${name}}`));
}

// applyStatic translates the page's fixed elements marked data-i18n.
export function applyStatic(root = document) {
  document.documentElement.lang = current;
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
}

const locale = () => LOCALES[current];

export function fmtNumber(n) {
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: 3 }).format(n || 0);
}

// fmtTime shows a time of today as 14:30, of another day with its date.
export function fmtTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  const sameDay = d.toDateString() === new Date().toDateString();
  return new Intl.DateTimeFormat(locale(), sameDay ? { hour: '2-digit', minute: '2-digit' }
    : { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }).format(d);
}

// fmtDay shows a google.type.Date as "3 Apr".
export function fmtDay(day) {
  const d = new Date(Date.UTC(day.year, day.month - 1, day.day));
  return new Intl.DateTimeFormat(locale(), { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(d);
}

export const unitLabel = (unit) => t(`u_${unit}`);

export function linesText(lines) {
  return (lines || []).map((l) => `${fmtNumber(l.quantity)} ${unitLabel(l.unit)} ${l.description || t(l.category)}`).join(', ');
}

const ENUMS = {
  category: ['FRUIT', 'VEGETABLES', 'JUICE', 'MEALS', 'WATER', 'OTHER'],
  priority: ['ROUTINE', 'URGENT', 'CRITICAL'],
  unit: ['KILOGRAM', 'LITER', 'PORTION', 'PIECE', 'BOX'],
  requestState: ['OPEN', 'SCHEDULED', 'IN_TRANSIT', 'DELIVERED', 'CANCELLED'],
};

// enumOptions returns [value, label] pairs for a select.
export function enumOptions(kind) {
  return ENUMS[kind].map((v) => [v, kind === 'unit' ? t(`unit_${v}`) : t(v)]);
}

// DEFAULT_UNIT is the unit a new line of each category starts with.
export const DEFAULT_UNIT = { FRUIT: 'KILOGRAM', VEGETABLES: 'KILOGRAM', JUICE: 'LITER', MEALS: 'PORTION', WATER: 'LITER', OTHER: 'PIECE' };

// localInput formats a time for a datetime-local input, in local time.
export function localInput(d) {
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

// fromLocalInput reads a datetime-local input as RFC 3339, or undefined
// when empty, so the server names the field if it is required.
export function fromLocalInput(v) {
  return v ? new Date(v).toISOString() : undefined;
}
