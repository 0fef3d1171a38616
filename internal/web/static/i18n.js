// Labels in English, Russian and Kazakh, and the formatting of times,
// days and quantities in the chosen language. Text entered by people is
// shown as entered; only the page's own words are translated.

const LANG_KEY = 'aqjurek.lang';
const LOCALES = { en: 'en-GB', ru: 'ru-RU', kk: 'kk-KZ' };

const en = {
  skipToContent: 'Skip to content', language: 'Language', signOut: 'Sign out', loading: 'Loading…',
  live: 'Live', offline: 'Offline — reconnecting…',
  signInTitle: 'Sign in', signInIntro: 'Paste the access token you were given. You stay signed in in this tab, and in tabs opened from it, until you sign out.',
  token: 'Access token', signIn: 'Sign in', tokenRejected: 'This token was not accepted. Check it, or ask a coordinator for a new one.',
  tokenMissing: 'Paste a token first.',
  role_admin: 'administrator', role_coordinator: 'coordinator', role_staff: 'hospital staff', role_driver: 'driver',
  signedInAs: '{name} · {role}',
  boardParts: 'Parts of the board',
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
  planDay: 'Plan the day', planTitle: 'Proposed plan', planning: 'Planning the open needs across the drivers… this takes a few seconds.',
  applyPlan: 'Apply plan', applying: 'Applying…', discard: 'Discard', planAgain: 'Plan again',
  planApplied: 'Plan applied: {n} runs planned.', planApplied_one: 'Plan applied: 1 run planned.', requests_one: '(1 request)', planStale: 'The plan no longer fits: needs or drivers changed since it was made. Plan again.',
  planFailed: 'The plan could not be made.', nothingToPlan: 'Nothing to plan: there are no open needs.',
  sumPlanned: 'needs planned', sumUnplanned: 'left out', sumRuns: 'runs', sumDistance: 'km in all', sumDriving: 'driving', sumAtRisk: 'stops at risk',
  hoursMinutes: '{h} h {m} min', minutes: '{m} min', planMapLabel: 'Proposed runs on the map', runN: 'Run {n}',
  loadOf: 'load {load} of {capacity} kg', arrivesAbout: 'arrives about {time}', deadlineAtRisk: 'Deadline at risk',
  leftOut: 'Left out of the plan', noneLeftOut: 'Every open need fits in the plan.',
  reason_TOO_HEAVY: 'Too heavy for any vehicle', reason_WINDOW_CLOSED: 'Window closes too soon', reason_SHIFT_TOO_SHORT: 'Shift ends too soon',
  reason_TOO_FAR_FOR_PERISHABLES: 'Too far for perishables', reason_NO_DRIVER_FREE: 'No driver free', reason_NO_LOCATION: 'Hospital not on the map',
  why_TOO_HEAVY: 'It weighs more than the largest vehicle carries: split it, or plan a larger vehicle.',
  why_WINDOW_CLOSED: 'It is needed by {time}, before any driver can get there.',
  why_SHIFT_TOO_SHORT: 'No driver can deliver it and be back before the shift ends.',
  why_TOO_FAR_FOR_PERISHABLES: 'Perishable goods would be on the road longer than they keep: every depot is too far.',
  why_NO_DRIVER_FREE: "Every driver's time and room went to other needs: add a driver or move its window.",
  why_NO_LOCATION: 'The hospital has no location on the map: set it so a route can reach it.',
  // The coordinator's attention list and run cards.
  attentionTitle: 'Needs attention now', nothingNeedsAttention: 'Nothing needs attention.',
  attFailed: 'Drop failed: {place} — {reason}', attDriver: 'Driver: {name}',
  attOverdue: '{time} overdue, not planned: {place}', attAtRisk: 'May miss its deadline: {place}, arrives about {time}',
  attLate: 'Not started: {driver} was to leave at {time}, {late} ago',
  deliveredOfKg: '{x} of {y} kg delivered', receivedByWho: 'received by {name}', failedBecause: 'Reason: {reason}',
  // Whom a delivered drop's goods came from (the first names, then a count).
  fromDonors: 'From: {names}', fromDonorsAndOthers: 'From: {names} and {n} others', fromDonorsAndOthers_one: 'From: {names} and 1 other',
  fromUnnamedDonors: 'From {n} donors', fromUnnamedDonors_one: 'From 1 donor',
  // Staff page: who is coming, and hiding finished requests.
  driverNamed: 'Driver {name}', runSetOff: 'On the way now', runNotSetOff: 'Not set off yet',
  hideFinished: 'Hide cancelled and delivered', finishedHidden_one: '1 finished request hidden', finishedHidden: '{n} finished requests hidden',
  allFinished: 'Every request is cancelled or delivered.',
  // Goods on a run not yet set off are planned, not on the way.
  onPlannedRun: '{n} on a planned run',
  // Counts: Intl.PluralRules picks the form (key_one, key_few, key_many,
  // key_other), the key itself when the language has no such form.
  tileOpen_one: 'open need', tileOnRoad_one: 'run under way', people_one: '{n} person', stopsDone_one: '{done} of 1 stop done',
  sumPlanned_one: 'need planned', sumRuns_one: 'run', sumAtRisk_one: 'stop at risk',
  u_PORTION_one: 'portion', u_BOX_one: 'box',
  // The driver's pick list, current stop, navigation and finish summary.
  pickList: 'What to load', pickItem: 'Item', pickWeight: 'Weight', pickTotal: 'Total', loadOrder: 'Load in this order',
  loadFirst: 'Load first: stop {stop}', loadThen: 'Then: stop {stop}', loadLast: 'Load last: stop {stop}',
  currentStop: 'Now', toHandOver: 'To hand over', handedOver: 'Handed over', nothingHandedOver: 'Nothing handed over.',
  driverNoteShort: 'Note',
  navGeo: 'Maps app', nav2gis: '2GIS', navYandex: 'Yandex', navTo: 'Navigate to {place}',
  navGeoLabel: 'Navigate to {place} in the phone\'s maps app', nav2gisLabel: 'Open {place} in 2GIS', navYandexLabel: 'Open {place} in Yandex Maps',
  runFinished: 'Run finished. Thank you!', handedOverTotal: 'Handed over in all', closeSummary: 'Close',
  stopsDelivered_one: '{n} stop delivered', stopsDelivered_other: '{n} stops delivered',
  stopsFailed_one: '{n} stop not delivered', stopsFailed_other: '{n} stops not delivered',
  // Chart labels.
  chartMax: 'max {n}',
  // The transparency page, for donors and the city, read with no account.
  publicLink: 'What your gifts became', publicTitle: 'What your gifts became', toTheApp: 'Team sign-in',
  publicIntro: 'Volunteers bring fruit, vegetables, juice and hot meals to the doctors, nurses and ambulance crews working on hospital wards. Every figure here is counted from the drops the drivers recorded.',
  pubDrops: 'drops delivered', pubDrops_one: 'drop delivered', pubFed: 'medical workers fed', pubFed_one: 'medical worker fed',
  pubHospitals: 'hospitals served', pubHospitals_one: 'hospital served', pubDelivered: 'Delivered in all', pubNothingYet: 'Nothing has been delivered yet.',
  amountOf: '{x} {unit} of {what}', goods_FRUIT: 'fruit', goods_VEGETABLES: 'vegetables', goods_JUICE: 'juice', goods_MEALS: 'hot meals', goods_WATER: 'water', goods_OTHER: 'other goods',
  pubWeeks: 'The last 8 weeks', pubWeeksChart: 'Delivered week by week, the last 8 weeks', pubNoWeeks: 'Nothing was delivered in the last 8 weeks.',
  week: 'Week', fedColumn: 'Medical workers fed',
  pubMoney: 'Money', pubMoneyIntro: 'Each currency is counted on its own and never converted.', given: 'Given', spentOnGoods: 'Spent on goods', pubNoMoney: 'No money has been given yet.',
  pubDonors: 'Who gave', pubThanks: 'Thank you to', pubNoDonors: 'No gifts recorded yet.',
  pubMore: 'and {n} more who gave without being named', pubMore_one: 'and one more who gave without being named',
  pubOnlyUnnamed: '{n} people gave without being named', pubOnlyUnnamed_one: 'one person gave without being named',
  pubComputed: 'Figures computed {time}, Almaty time.', pubFailed: 'The figures could not be loaded. Try again in a minute.',
  // The board's report for a period, and its downloads.
  reportTitle: 'Report', reportFrom: 'From', reportTo: 'To', showReport: 'Show the report', reportPeriod: '{from} – {to}',
  downloadCsv: 'Download CSV', downloadCsvOf: 'Download {section} as CSV', downloaded: 'Saved {file}.',
  repDeliveries: 'Delivered by hospital', repServed: 'Drops and people fed', repMoney: 'Money', repStock: 'Stock', repWrittenOff: 'Written off',
  repEmpty: 'Nothing in this period.', colWhat: 'What', colDrops: 'Drops', colFed: 'People fed', colCurrency: 'Currency',
  colReceived: 'Received', colSpent: 'Spent', colLeft: 'Left at the end', colTaken: 'Taken by runs', colWrittenOff: 'Written off', colOnHand: 'On hand',
  colTime: 'When', colReason: 'Why', colTotal: 'In all',
  // The driver's page in a dead zone: the run as last seen, and drops waiting to send.
  offlineSince: 'Offline · last updated {time}', offlineNothingKept: 'Offline. Your run will show once the server can be reached.',
  dropsWaiting_one: '{n} drop waiting to send.', dropsWaiting_other: '{n} drops waiting to send.',
  stepsWaiting_one: '{n} step waiting to send.', stepsWaiting_other: '{n} steps waiting to send.',
  startNotAccepted: 'Starting the run was not accepted:', finishNotAccepted: 'Finishing the run was not accepted:',
  dropsWaitingHow: 'They are sent by themselves when the connection is back, and none is counted twice.',
  sendNow: 'Send now', waitingToSend: 'Waiting to send', understood: 'OK',
  dropNotAccepted: 'The drop at {place} was not accepted:', failNotAccepted: '“Not delivered” at {place} was not accepted:',
  // The board's needs (what is still to bring, and each attempt), the
  // warning before double-booking a driver, and the activity as sentences.
  w_KILOGRAM: 'kg', w_LITER: 'l', w_PORTION_one: 'portion', w_PORTION: 'portions', w_PIECE_one: 'piece', w_PIECE: 'pieces', w_BOX_one: 'box', w_BOX: 'boxes',
  phraseAll: '{x} {unit} of {what}', phraseOf: '{x} of {y} {unit} of {what}', phraseLeft: '{x} of {y} {unit} of {what} still to bring', and: 'and',
  attemptsLabel: 'Attempts', histFailed: 'Not delivered: {reason}', histCancelled: 'Run cancelled: {reason}',
  histShort: 'Delivered short: {items}', histFull: 'Delivered: {items}', histDriver: 'driver {name}',
  busyWarn: '{driver} is already on a run at that time', busyRun: '{state}: leaves {start}, back about {back}',
  busyAsk: 'Plan another run for this driver anyway?', planAnyway: 'Plan anyway', changeRun: 'Change driver or time',
  actProblem: 'Problem', actReceived: ', received by {name}',
  actRun_CREATED: 'Run planned for {driver}, leaving {time}', actRun_UPDATED: 'Run of {driver} changed',
  actRun_ASSIGNED_one: '1 need added to the run of {driver}', actRun_ASSIGNED: '{n} needs added to the run of {driver}',
  actRun_UNASSIGNED_one: '1 need taken off the run of {driver}', actRun_UNASSIGNED: '{n} needs taken off the run of {driver}',
  actRun_DISPATCHED_one: 'Run of {driver} dispatched with 1 stop', actRun_DISPATCHED: 'Run of {driver} dispatched with {n} stops',
  actRun_STARTED: '{driver} set off from {depot}', actRun_COMPLETED: '{driver} finished the run', actRun_CANCELLED: 'Run of {driver} cancelled: {reason}',
  actRun_DELIVERED: '{driver} delivered {items} to {place}', actRun_DROPPED: '{driver} made a drop at {place}',
  actRun_FAILED: '{driver} could not deliver to {place}: {reason}',
  actRunSome_CREATED: 'A run was planned', actRunSome_UPDATED: 'A run was changed', actRunSome_ASSIGNED: 'Needs were added to a run',
  actRunSome_UNASSIGNED: 'Needs were taken off a run', actRunSome_DISPATCHED: 'A run was dispatched', actRunSome_STARTED: 'A driver set off',
  actRunSome_DELIVERED: 'A drop was made', actRunSome_FAILED: 'A drop failed', actRunSome_COMPLETED: 'A run was finished',
  actRunSome_CANCELLED: 'A run was cancelled', actRunSome_DELETED: 'A run was removed',
  actNeed_CREATED: 'New need at {place}: {items}', actNeed_UPDATED: 'Need at {place} changed', actNeed_CANCELLED: 'Need at {place} cancelled: {reason}', actNeed_CANCELLED_BARE: 'Need at {place} cancelled',
  actNeed_ASSIGNED: 'Need at {place} put on a run',
  actNeed_UNASSIGNED: 'Need at {place} taken off its run', actNeed_DISPATCHED: 'Need at {place}: its run was dispatched',
  actNeed_STARTED: 'Need at {place} is on the way', actNeed_DELIVERED: 'Need at {place}: a drop was made',
  actNeed_FAILED: 'Need at {place}: the drop failed', actNeed_DELETED: 'Need at {place} removed',
  actNeedSome_CREATED: 'A new need was filed', actNeedSome_UPDATED: 'A need was changed', actNeedSome_CANCELLED: 'A need was cancelled',
  actNeedSome_ASSIGNED: 'A need was put on a run', actNeedSome_UNASSIGNED: 'A need was taken off a run', actNeedSome_DISPATCHED: "A need's run was dispatched",
  actNeedSome_STARTED: 'A need is on the way', actNeedSome_DELIVERED: 'A drop was made for a need', actNeedSome_FAILED: 'A drop failed for a need',
  actNeedSome_DELETED: 'A need was removed',
  act_hospital_CREATED: 'Hospital added: {name}', act_hospital_UPDATED: 'Hospital changed: {name}', act_hospital_DELETED: 'Hospital removed: {name}',
  act_depot_CREATED: 'Depot added: {name}', act_depot_UPDATED: 'Depot changed: {name}', act_depot_DELETED: 'Depot removed: {name}',
  act_volunteer_CREATED: 'Driver added: {name}', act_volunteer_UPDATED: 'Driver changed: {name}', act_volunteer_DELETED: 'Driver removed: {name}',
  actWard_CREATED: 'Ward added: {name}, {hospital}', actWard_UPDATED: 'Ward changed: {name}, {hospital}', actWard_DELETED: 'Ward removed: {name}, {hospital}',
  // The board's stock panel and the ledger's forms.
  actLot_CREATED: 'Goods received into stock at {depot}', actLot_UPDATED: 'Stock changed at {depot}',
  stockTitle: 'Depot stock', stockInAll: 'All depots', toOrder: 'Cooks or buys to order: keeps no stock.',
  againstNeeds: 'Against the open needs', noWaiting: 'No open need waits for goods.', holdsNone: 'Holds none of the goods the open needs wait for.', holdsNoneElse: 'Holds none of the other goods the open needs wait for.',
  kindNeeded: '{what}: {q} needed', canDeliverNow: 'can be delivered now: {q}', mustBuy: 'must be bought: {q}',
  ofItOnRuns: 'of it {q} on runs not yet set off', nothingOnHand: 'Nothing on hand.', onHandQ: '{q} on hand',
  expired: 'Expired', expiresToday: 'Best before today', expiresIn_one: 'Best before tomorrow', expiresIn: 'Best before in {n} days',
  bestBefore: 'best before {day}', writeOff: 'Write off', writeOffLabel: 'Write off {what}',
  writeOffQuantity: 'Quantity to write off (of {unit})', writeOffReason: 'Why', confirmWriteOff: 'Write it off',
  ledgerTitle: 'Donations and purchases', recentDonations: 'Recent donations', moneyLeft: 'Money left:', noMoney: 'none yet',
  noDonations: 'No donations yet.', recordDonation: 'Record a donation', giftKind: 'Gift of', giftMoney: 'Money', giftGoods: 'Goods',
  donorName: 'Donor', donorContact: 'Contact (optional)', publicNaming: 'May be named publicly',
  amount: 'Amount', currency: 'Currency', otherCurrency: 'Other…', currencyCode: 'ISO currency code',
  amountFormat: 'Type the amount in digits, with a point or comma before the decimals: 12000.50',
  amountAmbiguous: 'A comma or point before three digits may mean thousands or decimals: write 12 000 for thousands, or 12.00 for decimals.',
  channel: 'Received by', channel_KASPI_GOLD: 'Kaspi Gold', channel_BANK_TRANSFER: 'Bank transfer', channel_CASH: 'Cash', channel_OTHER: 'Other',
  paymentReference: 'Payment reference', receivedAt: 'Received at', bestBeforeField: 'Best before',
  recordDonationButton: 'Record the donation', donationRecorded: 'Donation recorded.',
  recordPurchase: 'Record a purchase', supplier: 'Supplier', receiptReference: 'Receipt number', depotInto: 'Received into depot',
  payFrom: 'Pay from', payFromHint: 'Tick the donations to pay from: they pay in the order listed. With none ticked, the oldest pay first.',
  noMoneyIn: 'No donation in {code} has money left.', leftOf: '{left} left of {amount}',
  recordPurchaseButton: 'Record the purchase', purchaseRecorded: 'Purchase recorded.',
  goodsAt: '{what} at {depot}', namedPublicly: 'may be named publicly', spentLeft: 'spent {spent} · left {left}',
  reversedBecause: 'Reversed: {reason}', reversingEntry: 'Reverses an earlier entry: {reason}',
  reverse: 'Reverse', reverseReason: 'Why it is reversed', confirmReverse: 'Reverse the donation',
};

const ru = {
  skipToContent: 'К содержимому', language: 'Язык', signOut: 'Выйти', loading: 'Загрузка…',
  live: 'В эфире', offline: 'Нет связи — подключаемся…',
  signInTitle: 'Вход', signInIntro: 'Вставьте выданный вам токен доступа. Вход сохранится в этой вкладке и во вкладках, открытых из неё, пока вы не выйдете.',
  token: 'Токен доступа', signIn: 'Войти', tokenRejected: 'Токен не принят. Проверьте его или попросите новый у координатора.',
  tokenMissing: 'Сначала вставьте токен.',
  role_admin: 'администратор', role_coordinator: 'координатор', role_staff: 'сотрудник больницы', role_driver: 'водитель',
  boardParts: 'Разделы панели',
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
  planDay: 'Спланировать день', planTitle: 'Предлагаемый план', planning: 'Распределяем открытые заявки по водителям… это займёт несколько секунд.',
  applyPlan: 'Применить план', applying: 'Применяем…', discard: 'Отклонить', planAgain: 'Спланировать заново',
  planApplied: 'План применён, рейсов запланировано: {n}.', planStale: 'План устарел: с тех пор изменились заявки или водители. Спланируйте заново.',
  planFailed: 'Не удалось составить план.', nothingToPlan: 'Планировать нечего: открытых заявок нет.',
  sumPlanned: 'заявок в плане', sumUnplanned: 'не вошли', sumRuns: 'рейсов', sumDistance: 'км всего', sumDriving: 'в дороге', sumAtRisk: 'остановок под угрозой',
  hoursMinutes: '{h} ч {m} мин', minutes: '{m} мин', planMapLabel: 'Предлагаемые рейсы на карте', runN: 'Рейс {n}',
  loadOf: 'груз {load} из {capacity} кг', arrivesAbout: 'прибытие около {time}', deadlineAtRisk: 'Срок под угрозой',
  leftOut: 'Не вошли в план', noneLeftOut: 'Все открытые заявки вошли в план.',
  reason_TOO_HEAVY: 'Слишком тяжело для любой машины', reason_WINDOW_CLOSED: 'Срок истекает слишком рано', reason_SHIFT_TOO_SHORT: 'Смена кончается раньше',
  reason_TOO_FAR_FOR_PERISHABLES: 'Слишком далеко для скоропортящегося', reason_NO_DRIVER_FREE: 'Нет свободного водителя', reason_NO_LOCATION: 'Больницы нет на карте',
  why_TOO_HEAVY: 'Весит больше, чем берёт самая большая машина: разделите заявку или найдите машину побольше.',
  why_WINDOW_CLOSED: 'Нужно к {time}, а ни один водитель к этому времени не успеет.',
  why_SHIFT_TOO_SHORT: 'Ни один водитель не успеет доставить и вернуться до конца смены.',
  why_TOO_FAR_FOR_PERISHABLES: 'Скоропортящиеся продукты пробудут в дороге дольше допустимого: все склады слишком далеко.',
  why_NO_DRIVER_FREE: 'Время и место у всех водителей заняты другими заявками: добавьте водителя или сдвиньте срок.',
  why_NO_LOCATION: 'У больницы не указано место на карте: укажите его, чтобы проложить маршрут.',
  // The coordinator's attention list and run cards.
  attentionTitle: 'Требует внимания', nothingNeedsAttention: 'Ничего не требует внимания.',
  attFailed: 'Не доставлено: {place} — {reason}', attDriver: 'Водитель: {name}',
  attOverdue: 'Просрочено на {time}, не запланировано: {place}', attAtRisk: 'Может не успеть к сроку: {place}, прибытие около {time}',
  attLate: 'Рейс не начат: {driver}, выезд был назначен на {time}, прошло {late}',
  deliveredOfKg: 'доставлено {x} из {y} кг', receivedByWho: 'принял(а): {name}', failedBecause: 'Причина: {reason}',
  fromDonors: 'Пожертвовали: {names}', fromDonorsAndOthers: 'Пожертвовали: {names} и ещё {n}',
  fromUnnamedDonors: 'Жертвователей: {n}',
  // Staff page: who is coming, and hiding finished requests.
  driverNamed: 'Водитель {name}', runSetOff: 'Уже в пути', runNotSetOff: 'Ещё не выехали',
  hideFinished: 'Скрыть отменённые и доставленные', finishedHidden_one: 'Скрыта {n} завершённая заявка', finishedHidden_few: 'Скрыты {n} завершённые заявки',
  finishedHidden_many: 'Скрыто {n} завершённых заявок', finishedHidden: 'Скрыто {n} завершённых заявок',
  allFinished: 'Все заявки отменены или доставлены.',
  onPlannedRun: 'в плане рейса {n}',
  // Counts: one (1, 21), few (2–4, 22–24), many (0, 5–20, 25); fractions take the key itself.
  tileOpen_one: 'открытая заявка', tileOpen_few: 'открытые заявки', tileOpen_many: 'открытых заявок',
  tileOverdue_one: 'просрочена', tileOverdue_few: 'просрочены', tileOverdue_many: 'просрочено',
  tileCritical_one: 'критичная ждёт', tileCritical_few: 'критичные ждут', tileCritical_many: 'критичных ждут',
  tileOnRoad_one: 'рейс в пути', tileOnRoad_few: 'рейса в пути', tileOnRoad_many: 'рейсов в пути',
  tileDelivered_one: 'доставлена всего', tileDelivered_few: 'доставлены всего', tileDelivered_many: 'доставлено всего',
  sumPlanned_one: 'заявка в плане', sumPlanned_few: 'заявки в плане', sumPlanned_many: 'заявок в плане',
  sumUnplanned_one: 'не вошла',
  sumRuns_one: 'рейс', sumRuns_few: 'рейса', sumRuns_many: 'рейсов',
  sumAtRisk_one: 'остановка под угрозой', sumAtRisk_few: 'остановки под угрозой', sumAtRisk_many: 'остановок под угрозой',
  // The driver's pick list, current stop, navigation and finish summary.
  pickList: 'Что загрузить', pickItem: 'Что', pickWeight: 'Вес', pickTotal: 'Всего', loadOrder: 'Порядок загрузки',
  loadFirst: 'Сначала: остановка {stop}', loadThen: 'Затем: остановка {stop}', loadLast: 'Последней: остановка {stop}',
  currentStop: 'Сейчас', toHandOver: 'Передать', handedOver: 'Передано', nothingHandedOver: 'Ничего не передано.',
  driverNoteShort: 'Заметка',
  navGeo: 'Карты', nav2gis: '2ГИС', navYandex: 'Яндекс', navTo: 'Маршрут: {place}',
  navGeoLabel: 'Проложить маршрут до {place} в картах телефона', nav2gisLabel: 'Открыть {place} в 2ГИС', navYandexLabel: 'Открыть {place} в Яндекс Картах',
  runFinished: 'Рейс завершён. Спасибо!', handedOverTotal: 'Всего передано', closeSummary: 'Закрыть',
  stopsDelivered_one: 'Доставлено на {n} остановку', stopsDelivered_few: 'Доставлено на {n} остановки',
  stopsDelivered_many: 'Доставлено на {n} остановок', stopsDelivered_other: 'Доставлено на {n} остановки',
  stopsFailed_one: 'Не доставлено на {n} остановку', stopsFailed_few: 'Не доставлено на {n} остановки',
  stopsFailed_many: 'Не доставлено на {n} остановок', stopsFailed_other: 'Не доставлено на {n} остановки',
  // Chart labels.
  chartMax: 'макс. {n}',
  // The transparency page, for donors and the city, read with no account.
  publicLink: 'Во что превратились ваши пожертвования', publicTitle: 'Во что превратились ваши пожертвования', toTheApp: 'Вход для команды',
  publicIntro: 'Волонтёры привозят фрукты, овощи, соки и горячее питание врачам, медсёстрам и бригадам скорой помощи, работающим в отделениях больниц. Каждая цифра здесь посчитана по доставкам, которые отметили водители.',
  pubDrops_one: 'доставка', pubDrops_few: 'доставки', pubDrops_many: 'доставок', pubDrops: 'доставки',
  pubFed_one: 'медик получил еду', pubFed_few: 'медика получили еду', pubFed_many: 'медиков получили еду', pubFed: 'медика получили еду',
  pubHospitals_one: 'больница получила помощь', pubHospitals_few: 'больницы получили помощь', pubHospitals_many: 'больниц получили помощь', pubHospitals: 'больницы получили помощь',
  pubDelivered: 'Всего доставлено', pubNothingYet: 'Пока ничего не доставлено.',
  amountOf: '{x} {unit} {what}', goods_FRUIT: 'фруктов', goods_VEGETABLES: 'овощей', goods_JUICE: 'сока', goods_MEALS: 'горячего питания', goods_WATER: 'воды', goods_OTHER: 'других товаров',
  pubWeeks: 'Последние 8 недель', pubWeeksChart: 'Доставлено по неделям за последние 8 недель', pubNoWeeks: 'За последние 8 недель ничего не доставлено.',
  week: 'Неделя', fedColumn: 'Медиков получили еду',
  pubMoney: 'Деньги', pubMoneyIntro: 'Каждая валюта считается отдельно и никогда не пересчитывается.', given: 'Пожертвовано', spentOnGoods: 'Потрачено на продукты', pubNoMoney: 'Денежных пожертвований пока нет.',
  pubDonors: 'Кто помог', pubThanks: 'Спасибо', pubNoDonors: 'Пожертвований пока нет.',
  pubMore_one: 'и ещё {n} человек, пожелавший остаться неназванным', pubMore_few: 'и ещё {n} человека, пожелавших остаться неназванными',
  pubMore_many: 'и ещё {n} человек, пожелавших остаться неназванными', pubMore: 'и ещё {n} человека, пожелавших остаться неназванными',
  pubOnlyUnnamed_one: '{n} человек помог, не называя себя', pubOnlyUnnamed_few: '{n} человека помогли, не называя себя',
  pubOnlyUnnamed_many: '{n} человек помогли, не называя себя', pubOnlyUnnamed: '{n} человека помогли, не называя себя',
  pubComputed: 'Данные посчитаны {time} по времени Алматы.', pubFailed: 'Не удалось загрузить данные. Попробуйте через минуту.',
  // The board's report for a period, and its downloads.
  reportTitle: 'Отчёт', reportFrom: 'С', reportTo: 'По', showReport: 'Показать отчёт', reportPeriod: '{from} – {to}',
  downloadCsv: 'Скачать CSV', downloadCsvOf: 'Скачать «{section}» в CSV', downloaded: 'Сохранено: {file}.',
  repDeliveries: 'Доставлено по больницам', repServed: 'Доставки и накормленные', repMoney: 'Деньги', repStock: 'Склад', repWrittenOff: 'Списано',
  repEmpty: 'За этот период ничего нет.', colWhat: 'Что', colDrops: 'Доставки', colFed: 'Накормлено', colCurrency: 'Валюта',
  colReceived: 'Получено', colSpent: 'Потрачено', colLeft: 'Остаток на конец', colTaken: 'Взято рейсами', colWrittenOff: 'Списано', colOnHand: 'В наличии',
  colTime: 'Когда', colReason: 'Почему', colTotal: 'Всего',
  // The driver's page in a dead zone: the run as last seen, and drops waiting to send.
  offlineSince: 'Нет связи · обновлено в {time}', offlineNothingKept: 'Нет связи. Рейс появится, когда сервер станет доступен.',
  dropsWaiting_one: '{n} отметка ждёт отправки.', dropsWaiting_few: '{n} отметки ждут отправки.',
  dropsWaiting_many: '{n} отметок ждут отправки.', dropsWaiting_other: '{n} отметки ждут отправки.',
  stepsWaiting_one: '{n} отметка ждёт отправки.', stepsWaiting_few: '{n} отметки ждут отправки.',
  stepsWaiting_many: '{n} отметок ждут отправки.', stepsWaiting_other: '{n} отметки ждут отправки.',
  startNotAccepted: 'Отметка о выезде не принята:', finishNotAccepted: 'Отметка о завершении рейса не принята:',
  dropsWaitingHow: 'Они отправятся сами, когда появится связь, и ни одна не засчитается дважды.',
  sendNow: 'Отправить сейчас', waitingToSend: 'Ждёт отправки', understood: 'Понятно',
  dropNotAccepted: 'Отметка о доставке ({place}) не принята:', failNotAccepted: 'Отметка «не доставлено» ({place}) не принята:',
  // The board's needs (what is still to bring, and each attempt), the
  // warning before double-booking a driver, and the activity as sentences.
  w_KILOGRAM: 'кг', w_LITER: 'л', w_PORTION_one: 'порция', w_PORTION_few: 'порции', w_PORTION_many: 'порций', w_PORTION: 'порции',
  w_PIECE_one: 'штука', w_PIECE_few: 'штуки', w_PIECE_many: 'штук', w_PIECE: 'штуки',
  w_BOX_one: 'коробка', w_BOX_few: 'коробки', w_BOX_many: 'коробок', w_BOX: 'коробки',
  phraseAll: '{what} — {x} {unit}', phraseOf: '{what} — {x} {unitX} из {y}', phraseLeft: '{what} — ещё не привезено: {x} {unitX} из {y}', and: 'и',
  attemptsLabel: 'Попытки доставки', histFailed: 'Не доставлено: {reason}', histCancelled: 'Рейс отменён: {reason}',
  histShort: 'Привезено не всё: {items}', histFull: 'Привезено: {items}', histDriver: 'водитель {name}',
  busyWarn: '{driver} в это время уже в рейсе', busyRun: '{state}: выезд {start}, возвращение около {back}',
  busyAsk: 'Всё равно запланировать этому водителю ещё один рейс?', planAnyway: 'Всё равно запланировать', changeRun: 'Изменить водителя или время',
  actProblem: 'Проблема', actReceived: '; принял(а): {name}',
  actRun_CREATED: 'Запланирован рейс: {driver}, выезд {time}', actRun_UPDATED: 'Изменён рейс: {driver}',
  actRun_ASSIGNED_one: '{n} заявка добавлена в рейс (водитель {driver})', actRun_ASSIGNED_few: '{n} заявки добавлены в рейс (водитель {driver})',
  actRun_ASSIGNED_many: '{n} заявок добавлено в рейс (водитель {driver})', actRun_ASSIGNED: '{n} заявки добавлено в рейс (водитель {driver})',
  actRun_UNASSIGNED_one: '{n} заявка снята с рейса (водитель {driver})', actRun_UNASSIGNED_few: '{n} заявки сняты с рейса (водитель {driver})',
  actRun_UNASSIGNED_many: '{n} заявок снято с рейса (водитель {driver})', actRun_UNASSIGNED: '{n} заявки снято с рейса (водитель {driver})',
  actRun_DISPATCHED_one: 'Рейс отправлен (водитель {driver}): {n} остановка', actRun_DISPATCHED_few: 'Рейс отправлен (водитель {driver}): {n} остановки',
  actRun_DISPATCHED_many: 'Рейс отправлен (водитель {driver}): {n} остановок', actRun_DISPATCHED: 'Рейс отправлен (водитель {driver}): {n} остановки',
  actRun_STARTED: '{driver} — выезд со склада «{depot}»', actRun_COMPLETED: '{driver} — рейс завершён', actRun_CANCELLED: 'Рейс отменён (водитель {driver}): {reason}',
  actRun_DELIVERED: '{driver} — доставка в отделение «{ward}» ({hospital}): {items}', actRun_DROPPED: '{driver} — доставка в отделение «{ward}» ({hospital})',
  actRun_FAILED: '{driver} — не удалось доставить в отделение «{ward}» ({hospital}): {reason}',
  actRunSome_CREATED: 'Запланирован рейс', actRunSome_UPDATED: 'Рейс изменён', actRunSome_ASSIGNED: 'В рейс добавлены заявки',
  actRunSome_UNASSIGNED: 'С рейса сняты заявки', actRunSome_DISPATCHED: 'Рейс отправлен', actRunSome_STARTED: 'Рейс начат',
  actRunSome_DELIVERED: 'Доставка выполнена', actRunSome_FAILED: 'Доставка не удалась', actRunSome_COMPLETED: 'Рейс завершён',
  actRunSome_CANCELLED: 'Рейс отменён', actRunSome_DELETED: 'Рейс удалён',
  actNeed_CREATED: 'Новая заявка, отделение «{ward}» ({hospital}): {items}', actNeed_UPDATED: 'Изменена заявка, отделение «{ward}» ({hospital})',
  actNeed_CANCELLED: 'Отменена заявка, отделение «{ward}» ({hospital}): {reason}', actNeed_CANCELLED_BARE: 'Отменена заявка, отделение «{ward}» ({hospital})',
  actNeed_ASSIGNED: 'Заявка включена в рейс, отделение «{ward}» ({hospital})', actNeed_UNASSIGNED: 'Заявка снята с рейса, отделение «{ward}» ({hospital})',
  actNeed_DISPATCHED: 'Рейс с заявкой отправлен, отделение «{ward}» ({hospital})', actNeed_STARTED: 'Заявка в пути, отделение «{ward}» ({hospital})',
  actNeed_DELIVERED: 'Доставка по заявке, отделение «{ward}» ({hospital})', actNeed_FAILED: 'Не удалось доставить заявку, отделение «{ward}» ({hospital})',
  actNeed_DELETED: 'Удалена заявка, отделение «{ward}» ({hospital})',
  actNeedSome_CREATED: 'Подана новая заявка', actNeedSome_UPDATED: 'Заявка изменена', actNeedSome_CANCELLED: 'Заявка отменена',
  actNeedSome_ASSIGNED: 'Заявка включена в рейс', actNeedSome_UNASSIGNED: 'Заявка снята с рейса', actNeedSome_DISPATCHED: 'Рейс с заявкой отправлен',
  actNeedSome_STARTED: 'Заявка в пути', actNeedSome_DELIVERED: 'Доставка по заявке', actNeedSome_FAILED: 'Не удалось доставить заявку',
  actNeedSome_DELETED: 'Заявка удалена',
  act_hospital_CREATED: 'Больница добавлена: {name}', act_hospital_UPDATED: 'Больница изменена: {name}', act_hospital_DELETED: 'Больница удалена: {name}',
  act_depot_CREATED: 'Склад добавлен: {name}', act_depot_UPDATED: 'Склад изменён: {name}', act_depot_DELETED: 'Склад удалён: {name}',
  act_volunteer_CREATED: 'Водитель добавлен: {name}', act_volunteer_UPDATED: 'Данные водителя изменены: {name}', act_volunteer_DELETED: 'Водитель удалён: {name}',
  actWard_CREATED: 'Отделение добавлено: {name} ({hospital})', actWard_UPDATED: 'Отделение изменено: {name} ({hospital})', actWard_DELETED: 'Отделение удалено: {name} ({hospital})',
  // Запасы на складах и формы учёта.
  actLot_CREATED: 'Товары приняты на склад: {depot}', actLot_UPDATED: 'Запасы изменились: {depot}',
  stockTitle: 'Запасы на складах', stockInAll: 'Все склады', toOrder: 'Готовит или закупает под заказ: запасов не держит.',
  againstNeeds: 'Для открытых заявок', noWaiting: 'Открытых заявок, ждущих товар, нет.', holdsNone: 'Здесь нет ничего из того, что ждут открытые заявки.', holdsNoneElse: 'Другого из того, что ждут открытые заявки, здесь нет.',
  kindNeeded: '{what}: нужно {q}', canDeliverNow: 'можно доставить сейчас: {q}', mustBuy: 'нужно купить: {q}',
  ofItOnRuns: 'из них {q} — в рейсах, которые ещё не выехали', nothingOnHand: 'На складе ничего нет.', onHandQ: 'в наличии {q}',
  expired: 'Срок вышел', expiresToday: 'Годен до сегодня', expiresIn_one: 'Годен ещё {n} день', expiresIn_few: 'Годен ещё {n} дня',
  expiresIn_many: 'Годен ещё {n} дней', expiresIn: 'Годен ещё {n} дня',
  bestBefore: 'годен до {day}', writeOff: 'Списать', writeOffLabel: 'Списать: {what}',
  writeOffQuantity: 'Сколько списать (из {unit})', writeOffReason: 'Причина', confirmWriteOff: 'Списать',
  ledgerTitle: 'Пожертвования и закупки', recentDonations: 'Последние пожертвования', moneyLeft: 'Осталось денег:', noMoney: 'пока нет',
  noDonations: 'Пожертвований пока нет.', recordDonation: 'Записать пожертвование', giftKind: 'Что пожертвовано', giftMoney: 'Деньги', giftGoods: 'Товары',
  donorName: 'Жертвователь', donorContact: 'Контакт (необязательно)', publicNaming: 'Можно назвать публично',
  amount: 'Сумма', currency: 'Валюта', otherCurrency: 'Другая…', currencyCode: 'Код валюты ISO',
  amountFormat: 'Введите сумму цифрами, дробную часть — через точку или запятую: 12000,50',
  amountAmbiguous: 'Запятая или точка перед тремя цифрами может означать и тысячи, и дробь: пишите 12 000 для тысяч или 12,00 для дробной части.',
  channel: 'Способ', channel_KASPI_GOLD: 'Kaspi Gold', channel_BANK_TRANSFER: 'Банковский перевод', channel_CASH: 'Наличные', channel_OTHER: 'Другое',
  paymentReference: 'Номер платежа', receivedAt: 'Получено', bestBeforeField: 'Годен до',
  recordDonationButton: 'Записать пожертвование', donationRecorded: 'Пожертвование записано.',
  recordPurchase: 'Записать закупку', supplier: 'Поставщик', receiptReference: 'Номер чека', depotInto: 'Принято на склад',
  payFrom: 'Оплатить из', payFromHint: 'Отметьте пожертвования, из которых платить: они расходуются в порядке списка. Если ничего не отмечено, сначала расходуются самые ранние.',
  noMoneyIn: 'Ни в одном пожертвовании в {code} не осталось денег.', leftOf: 'осталось {left} из {amount}',
  recordPurchaseButton: 'Записать закупку', purchaseRecorded: 'Закупка записана.',
  goodsAt: '{what} — {depot}', namedPublicly: 'можно назвать публично', spentLeft: 'потрачено {spent} · осталось {left}',
  reversedBecause: 'Сторнировано: {reason}', reversingEntry: 'Сторно прежней записи: {reason}',
  reverse: 'Сторнировать', reverseReason: 'Причина сторно', confirmReverse: 'Сторнировать пожертвование',
};

const kk = {
  skipToContent: 'Мазмұнға өту', language: 'Тіл', signOut: 'Шығу', loading: 'Жүктелуде…',
  live: 'Тікелей', offline: 'Байланыс жоқ — қосылуда…',
  signInTitle: 'Кіру', signInIntro: 'Сізге берілген кіру токенін қойыңыз. Шыққанға дейін осы қойындыда және одан ашылған қойындыларда кіру сақталады.',
  token: 'Кіру токені', signIn: 'Кіру', tokenRejected: 'Токен қабылданбады. Тексеріңіз немесе үйлестірушіден жаңасын сұраңыз.',
  tokenMissing: 'Алдымен токенді қойыңыз.',
  role_admin: 'әкімші', role_coordinator: 'үйлестіруші', role_staff: 'аурухана қызметкері', role_driver: 'жүргізуші',
  boardParts: 'Тақта бөлімдері',
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
  planDay: 'Күнді жоспарлау', planTitle: 'Ұсынылған жоспар', planning: 'Ашық өтінімдер жүргізушілерге бөлінуде… бірнеше секунд кетеді.',
  applyPlan: 'Жоспарды қабылдау', applying: 'Қабылдануда…', discard: 'Бас тарту', planAgain: 'Қайта жоспарлау',
  planApplied: 'Жоспар қабылданды, жоспарланған рейс саны: {n}.', planStale: 'Жоспар ескірді: содан бері өтінімдер немесе жүргізушілер өзгерді. Қайта жоспарлаңыз.',
  planFailed: 'Жоспар құру мүмкін болмады.', nothingToPlan: 'Жоспарлайтын ештеңе жоқ: ашық өтінім жоқ.',
  sumPlanned: 'өтінім жоспарда', sumUnplanned: 'жоспарға кірмеді', sumRuns: 'рейс', sumDistance: 'км барлығы', sumDriving: 'жолда', sumAtRisk: 'аялдамада кешігу қаупі',
  hoursMinutes: '{h} сағ {m} мин', minutes: '{m} мин', planMapLabel: 'Ұсынылған рейстер картада', runN: '{n}-рейс',
  loadOf: 'жүгі {load} / {capacity} кг', arrivesAbout: 'шамамен {time} жетеді', deadlineAtRisk: 'Мерзімнен кешігу қаупі',
  leftOut: 'Жоспарға кірмегендер', noneLeftOut: 'Барлық ашық өтінім жоспарға кірді.',
  reason_TOO_HEAVY: 'Ешбір көлікке сыймайды', reason_WINDOW_CLOSED: 'Мерзімі тым ерте бітеді', reason_SHIFT_TOO_SHORT: 'Ауысым тым ерте бітеді',
  reason_TOO_FAR_FOR_PERISHABLES: 'Тез бұзылатын өнімге тым алыс', reason_NO_DRIVER_FREE: 'Бос жүргізуші жоқ', reason_NO_LOCATION: 'Аурухана картада жоқ',
  why_TOO_HEAVY: 'Салмағы ең үлкен көліктің жүк көтергішінен асады: өтінімді бөліңіз немесе үлкенірек көлік табыңыз.',
  why_WINDOW_CLOSED: 'Ол {time} дейін керек, ал оған дейін ешбір жүргізуші жете алмайды.',
  why_SHIFT_TOO_SHORT: 'Ешбір жүргізуші оны жеткізіп, ауысым біткенше қоймаға орала алмайды.',
  why_TOO_FAR_FOR_PERISHABLES: 'Тез бұзылатын өнім жолда тым ұзақ болады: барлық қойма тым алыс.',
  why_NO_DRIVER_FREE: 'Барлық жүргізушінің уақыты мен орны басқа өтінімдерге кетті: жүргізуші қосыңыз немесе мерзімін жылжытыңыз.',
  why_NO_LOCATION: 'Аурухананың картадағы орны көрсетілмеген: маршрут салу үшін оны белгілеңіз.',
  // The coordinator's attention list and run cards.
  attentionTitle: 'Назар аударуды қажет етеді', nothingNeedsAttention: 'Назар аударатын ештеңе жоқ.',
  attFailed: 'Жеткізілмеді: {place} — {reason}', attDriver: 'Жүргізуші: {name}',
  attOverdue: 'Мерзімі {time} өтті, жоспарланбаған: {place}', attAtRisk: 'Мерзіміне үлгермеуі мүмкін: {place}, шамамен {time} жетеді',
  attLate: 'Рейс басталмады: {driver} {time} шығуы керек еді, {late} өтті',
  deliveredOfKg: '{y} кг-ның {x} кг жеткізілді', receivedByWho: 'қабылдаған: {name}', failedBecause: 'Себебі: {reason}',
  fromDonors: 'Демеушілер: {names}', fromDonorsAndOthers: 'Демеушілер: {names} және тағы {n} адам',
  fromUnnamedDonors: 'Демеушілер саны: {n}',
  // Staff page: who is coming, and hiding finished requests.
  driverNamed: 'Жүргізуші {name}', runSetOff: 'Қазір жолда', runNotSetOff: 'Әлі жолға шықпады',
  hideFinished: 'Тоқтатылған және жеткізілгендерді жасыру', finishedHidden: '{n} аяқталған өтінім жасырылды',
  allFinished: 'Барлық өтінім тоқтатылған немесе жеткізілген.',
  onPlannedRun: '{n} рейс жоспарында',
  // Counts: a noun after a number stays singular in Kazakh ("5 өтінім"),
  // so each label has the one form for every number.
  // The driver's pick list, current stop, navigation and finish summary.
  pickList: 'Не тиеу керек', pickItem: 'Не', pickWeight: 'Салмағы', pickTotal: 'Барлығы', loadOrder: 'Тиеу реті',
  loadFirst: 'Алдымен: {stop}-аялдама', loadThen: 'Содан кейін: {stop}-аялдама', loadLast: 'Ең соңында: {stop}-аялдама',
  currentStop: 'Қазір', toHandOver: 'Тапсыру керек', handedOver: 'Тапсырылды', nothingHandedOver: 'Ештеңе тапсырылмады.',
  driverNoteShort: 'Ескертпе',
  navGeo: 'Карта', nav2gis: '2ГИС', navYandex: 'Яндекс', navTo: 'Бағыт: {place}',
  navGeoLabel: '{place} дейін телефон картасында бағыт салу', nav2gisLabel: '{place} — 2ГИС-те ашу', navYandexLabel: '{place} — Яндекс Картада ашу',
  runFinished: 'Рейс аяқталды. Рахмет!', handedOverTotal: 'Барлығы тапсырылды', closeSummary: 'Жабу',
  stopsDelivered_one: '{n} аялдамаға жеткізілді', stopsDelivered_other: '{n} аялдамаға жеткізілді',
  stopsFailed_one: '{n} аялдамаға жеткізілмеді', stopsFailed_other: '{n} аялдамаға жеткізілмеді',
  // Chart labels.
  chartMax: 'ең көбі {n}',
  // The transparency page, for donors and the city, read with no account.
  publicLink: 'Сыйлықтарыңыз неге айналды', publicTitle: 'Сыйлықтарыңыз неге айналды', toTheApp: 'Командаға кіру',
  publicIntro: 'Еріктілер аурухана бөлімшелерінде жұмыс істейтін дәрігерлерге, медбикелерге және жедел жәрдем бригадаларына жеміс-жидек, көкөніс, шырын және ыстық тамақ жеткізеді. Мұндағы әр сан жүргізушілер белгілеген жеткізілімдерден есептелген.',
  pubDrops: 'жеткізілім', pubFed: 'медицина қызметкері тамақтандырылды', pubHospitals: 'ауруханаға көмек жетті',
  pubDelivered: 'Барлығы жеткізілді', pubNothingYet: 'Әзірге ештеңе жеткізілмеді.',
  amountOf: '{x} {unit} {what}', goods_FRUIT: 'жеміс-жидек', goods_VEGETABLES: 'көкөніс', goods_JUICE: 'шырын', goods_MEALS: 'ыстық тамақ', goods_WATER: 'су', goods_OTHER: 'басқа тауар',
  pubWeeks: 'Соңғы 8 апта', pubWeeksChart: 'Соңғы 8 аптада апта сайын жеткізілгені', pubNoWeeks: 'Соңғы 8 аптада ештеңе жеткізілмеді.',
  week: 'Апта', fedColumn: 'Тамақтандырылған медиктер',
  pubMoney: 'Ақша', pubMoneyIntro: 'Әр валюта бөлек есептеледі, ешқашан айырбасталмайды.', given: 'Берілді', spentOnGoods: 'Азық-түлікке жұмсалды', pubNoMoney: 'Әзірге ақша берілген жоқ.',
  pubDonors: 'Кім көмектесті', pubThanks: 'Рақмет', pubNoDonors: 'Әзірге сыйлық тіркелген жоқ.',
  pubMore: 'және атын атамай көмектескен тағы {n} адам', pubOnlyUnnamed: '{n} адам атын атамай көмектесті',
  pubComputed: 'Деректер Алматы уақытымен {time} есептелді.', pubFailed: 'Деректер жүктелмеді. Бір минуттан кейін қайталап көріңіз.',
  // The board's report for a period, and its downloads.
  reportTitle: 'Есеп', reportFrom: 'Басы', reportTo: 'Соңы', showReport: 'Есепті көрсету', reportPeriod: '{from} – {to}',
  downloadCsv: 'CSV жүктеу', downloadCsvOf: '«{section}» CSV түрінде жүктеу', downloaded: 'Сақталды: {file}.',
  repDeliveries: 'Ауруханалар бойынша жеткізілді', repServed: 'Жеткізілімдер мен тамақтандырылғандар', repMoney: 'Ақша', repStock: 'Қойма', repWrittenOff: 'Есептен шығарылды',
  repEmpty: 'Бұл кезеңде ештеңе жоқ.', colWhat: 'Не', colDrops: 'Жеткізілімдер', colFed: 'Тамақтандырылды', colCurrency: 'Валюта',
  colReceived: 'Түсті', colSpent: 'Жұмсалды', colLeft: 'Соңындағы қалдық', colTaken: 'Рейстер алды', colWrittenOff: 'Есептен шығарылды', colOnHand: 'Қолда бар',
  colTime: 'Қашан', colReason: 'Себебі', colTotal: 'Барлығы',
  // The driver's page in a dead zone: the run as last seen, and drops waiting to send.
  offlineSince: 'Байланыс жоқ · {time} жаңартылды', offlineNothingKept: 'Байланыс жоқ. Рейс сервер қолжетімді болғанда көрсетіледі.',
  dropsWaiting_one: '{n} белгі жіберуді күтуде.', dropsWaiting_other: '{n} белгі жіберуді күтуде.',
  stepsWaiting_one: '{n} белгі жіберуді күтуде.', stepsWaiting_other: '{n} белгі жіберуді күтуде.',
  startNotAccepted: 'Жолға шығу белгісі қабылданбады:', finishNotAccepted: 'Рейсті аяқтау белгісі қабылданбады:',
  dropsWaitingHow: 'Байланыс қалпына келгенде өздігінен жіберіледі, ешқайсысы екі рет есептелмейді.',
  sendNow: 'Қазір жіберу', waitingToSend: 'Жіберуді күтуде', understood: 'Түсінікті',
  dropNotAccepted: 'Жеткізу белгісі ({place}) қабылданбады:', failNotAccepted: '«Жеткізілмеді» белгісі ({place}) қабылданбады:',
  // The board's needs (what is still to bring, and each attempt), the
  // warning before double-booking a driver, and the activity as sentences.
  w_KILOGRAM: 'кг', w_LITER: 'л', w_PORTION: 'порция', w_PIECE: 'дана', w_BOX: 'қорап',
  phraseAll: '{x} {unit} {what}', phraseOf: '{what} — {y} {unit} ішінен {x} {unitX}', phraseLeft: '{what} — {y} {unit} ішінен әлі {x} {unitX} жеткізілмеген', and: 'және',
  attemptsLabel: 'Жеткізу әрекеттері', histFailed: 'Жеткізілмеді: {reason}', histCancelled: 'Рейс тоқтатылды: {reason}',
  histShort: 'Толық жеткізілмеді: {items}', histFull: 'Жеткізілді: {items}', histDriver: 'жүргізуші {name}',
  busyWarn: '{driver} бұл уақытта басқа рейсте', busyRun: '{state}: шығуы {start}, шамамен {back} оралады',
  busyAsk: 'Бәрібір осы жүргізушіге тағы бір рейс жоспарлау керек пе?', planAnyway: 'Бәрібір жоспарлау', changeRun: 'Жүргізушіні не уақытты өзгерту',
  actProblem: 'Мәселе', actReceived: '; қабылдаған: {name}',
  actRun_CREATED: 'Рейс жоспарланды: {driver}, шығуы {time}', actRun_UPDATED: 'Рейс өзгерді: {driver}',
  actRun_ASSIGNED: 'Рейске (жүргізуші {driver}) {n} өтінім қосылды', actRun_UNASSIGNED: 'Рейстен (жүргізуші {driver}) {n} өтінім алынды',
  actRun_DISPATCHED: 'Рейс жіберілді (жүргізуші {driver}): {n} аялдама',
  actRun_STARTED: '{driver} «{depot}» қоймасынан шықты', actRun_COMPLETED: '{driver} рейсті аяқтады', actRun_CANCELLED: 'Рейс тоқтатылды (жүргізуші {driver}): {reason}',
  actRun_DELIVERED: '{driver} «{ward}» бөлімшесіне ({hospital}) жеткізді: {items}', actRun_DROPPED: '{driver} «{ward}» бөлімшесіне ({hospital}) жеткізді',
  actRun_FAILED: '{driver} «{ward}» бөлімшесіне ({hospital}) жеткізе алмады: {reason}',
  actRunSome_CREATED: 'Рейс жоспарланды', actRunSome_UPDATED: 'Рейс өзгерді', actRunSome_ASSIGNED: 'Рейске өтінімдер қосылды',
  actRunSome_UNASSIGNED: 'Рейстен өтінімдер алынды', actRunSome_DISPATCHED: 'Рейс жіберілді', actRunSome_STARTED: 'Жүргізуші жолға шықты',
  actRunSome_DELIVERED: 'Жеткізу орындалды', actRunSome_FAILED: 'Жеткізу сәтсіз аяқталды', actRunSome_COMPLETED: 'Рейс аяқталды',
  actRunSome_CANCELLED: 'Рейс тоқтатылды', actRunSome_DELETED: 'Рейс жойылды',
  actNeed_CREATED: 'Жаңа өтінім, «{ward}» бөлімшесі ({hospital}): {items}', actNeed_UPDATED: 'Өтінім өзгерді, «{ward}» бөлімшесі ({hospital})',
  actNeed_CANCELLED: 'Өтінім тоқтатылды, «{ward}» бөлімшесі ({hospital}): {reason}', actNeed_CANCELLED_BARE: 'Өтінім тоқтатылды, «{ward}» бөлімшесі ({hospital})',
  actNeed_ASSIGNED: 'Өтінім рейске қосылды, «{ward}» бөлімшесі ({hospital})', actNeed_UNASSIGNED: 'Өтінім рейстен алынды, «{ward}» бөлімшесі ({hospital})',
  actNeed_DISPATCHED: 'Өтінімнің рейсі жіберілді, «{ward}» бөлімшесі ({hospital})', actNeed_STARTED: 'Өтінім жолда, «{ward}» бөлімшесі ({hospital})',
  actNeed_DELIVERED: 'Өтінім бойынша жеткізілді, «{ward}» бөлімшесі ({hospital})', actNeed_FAILED: 'Өтінім жеткізілмеді, «{ward}» бөлімшесі ({hospital})',
  actNeed_DELETED: 'Өтінім жойылды, «{ward}» бөлімшесі ({hospital})',
  actNeedSome_CREATED: 'Жаңа өтінім берілді', actNeedSome_UPDATED: 'Өтінім өзгерді', actNeedSome_CANCELLED: 'Өтінім тоқтатылды',
  actNeedSome_ASSIGNED: 'Өтінім рейске қосылды', actNeedSome_UNASSIGNED: 'Өтінім рейстен алынды', actNeedSome_DISPATCHED: 'Өтінімнің рейсі жіберілді',
  actNeedSome_STARTED: 'Өтінім жолда', actNeedSome_DELIVERED: 'Өтінім бойынша жеткізілді', actNeedSome_FAILED: 'Өтінім жеткізілмеді',
  actNeedSome_DELETED: 'Өтінім жойылды',
  act_hospital_CREATED: 'Аурухана қосылды: {name}', act_hospital_UPDATED: 'Аурухана өзгерді: {name}', act_hospital_DELETED: 'Аурухана жойылды: {name}',
  act_depot_CREATED: 'Қойма қосылды: {name}', act_depot_UPDATED: 'Қойма өзгерді: {name}', act_depot_DELETED: 'Қойма жойылды: {name}',
  act_volunteer_CREATED: 'Жүргізуші қосылды: {name}', act_volunteer_UPDATED: 'Жүргізуші деректері өзгерді: {name}', act_volunteer_DELETED: 'Жүргізуші жойылды: {name}',
  actWard_CREATED: 'Бөлімше қосылды: {name} ({hospital})', actWard_UPDATED: 'Бөлімше өзгерді: {name} ({hospital})', actWard_DELETED: 'Бөлімше жойылды: {name} ({hospital})',
  // Қоймадағы қор және есеп нысандары.
  actLot_CREATED: 'Тауар қоймаға қабылданды: {depot}', actLot_UPDATED: 'Қор өзгерді: {depot}',
  stockTitle: 'Қоймадағы қор', stockInAll: 'Барлық қойма', toOrder: 'Тапсырыспен пісіреді не сатып алады: қор ұстамайды.',
  againstNeeds: 'Ашық өтінімдерге', noWaiting: 'Тауар күтіп тұрған ашық өтінім жоқ.', holdsNone: 'Ашық өтінімдер күтетін тауардың ешқайсысы мұнда жоқ.', holdsNoneElse: 'Ашық өтінімдер күтетін басқа тауар мұнда жоқ.',
  kindNeeded: '{what}: керегі {q}', canDeliverNow: 'қазір жеткізуге болады: {q}', mustBuy: 'сатып алу керек: {q}',
  ofItOnRuns: 'оның {q} әлі шықпаған рейстерде', nothingOnHand: 'Қоймада ештеңе жоқ.', onHandQ: 'қолда {q}',
  expired: 'Мерзімі өтті', expiresToday: 'Бүгінге дейін жарамды', expiresIn_one: 'Тағы {n} күн жарамды', expiresIn: 'Тағы {n} күн жарамды',
  bestBefore: '{day} дейін жарамды', writeOff: 'Есептен шығару', writeOffLabel: 'Есептен шығару: {what}',
  writeOffQuantity: 'Қанша шығару ({unit} ішінен)', writeOffReason: 'Себебі', confirmWriteOff: 'Есептен шығару',
  ledgerTitle: 'Қайырымдылық пен сатып алу', recentDonations: 'Соңғы қайырымдылықтар', moneyLeft: 'Қалған ақша:', noMoney: 'әзірге жоқ',
  noDonations: 'Әзірге қайырымдылық жоқ.', recordDonation: 'Қайырымдылықты жазу', giftKind: 'Не берілді', giftMoney: 'Ақша', giftGoods: 'Тауар',
  donorName: 'Демеуші', donorContact: 'Байланыс (міндетті емес)', publicNaming: 'Атын жария етуге болады',
  amount: 'Сома', currency: 'Валюта', otherCurrency: 'Басқа…', currencyCode: 'ISO валюта коды',
  amountFormat: 'Соманы цифрмен жазыңыз, бөлшегін нүкте не үтір арқылы: 12000,50',
  amountAmbiguous: 'Үш цифрдың алдындағы үтір не нүкте мыңдықты да, бөлшекті де білдіруі мүмкін: мыңдық үшін 12 000, бөлшек үшін 12,00 деп жазыңыз.',
  channel: 'Тәсілі', channel_KASPI_GOLD: 'Kaspi Gold', channel_BANK_TRANSFER: 'Банк аударымы', channel_CASH: 'Қолма-қол', channel_OTHER: 'Басқа',
  paymentReference: 'Төлем нөмірі', receivedAt: 'Алынған уақыты', bestBeforeField: 'Жарамдылық мерзімі',
  recordDonationButton: 'Қайырымдылықты жазу', donationRecorded: 'Қайырымдылық жазылды.',
  recordPurchase: 'Сатып алуды жазу', supplier: 'Жеткізуші', receiptReference: 'Чек нөмірі', depotInto: 'Қабылдаған қойма',
  payFrom: 'Қайдан төлеу', payFromHint: 'Қайсысынан төлейтінін белгілеңіз: тізімдегі ретпен жұмсалады. Ештеңе белгіленбесе, алдымен ең ертесі жұмсалады.',
  noMoneyIn: '{code} валютасындағы қайырымдылықтарда ақша қалмады.', leftOf: '{amount} ішінен {left} қалды',
  recordPurchaseButton: 'Сатып алуды жазу', purchaseRecorded: 'Сатып алу жазылды.',
  goodsAt: '{what} — {depot}', namedPublicly: 'атын жария етуге болады', spentLeft: 'жұмсалды {spent} · қалды {left}',
  reversedBecause: 'Кері қайтарылды: {reason}', reversingEntry: 'Бұрынғы жазбаны кері қайтарады: {reason}',
  reverse: 'Кері қайтару', reverseReason: 'Кері қайтару себебі', confirmReverse: 'Қайырымдылықты кері қайтару',
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
// A count n picks the plural form key_one, key_few … where the language
// has it.
export function t(key, vars = {}) {
  const count = typeof vars.n === 'number';
  const form = count ? `${key}_${new Intl.PluralRules(LOCALES[current]).select(vars.n)}` : '';
  const text = dictionaries[current][form] ?? dictionaries[current][key] ?? en[key] ?? key;
  // A count reads as the language writes numbers ("1 500", "2,5").
  return text.replace(/\{(\w+)\}/g, (_, name) => (count && name === 'n' ? fmtNumber(vars.n) : vars[name] ?? `{${name}}`));
}

// applyStatic translates the page's fixed elements marked data-i18n.
export function applyStatic(root = document) {
  document.documentElement.lang = current;
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
}

const locale = () => LOCALES[current];

// Kazakh writes numbers and money as Russian does ("1 240,5", "50 000,00 ₸").
// A browser without Kazakh data writes them the English way ("1,240.5"),
// so there they are written as in Russian.
const KK_NUMBERS = new Intl.NumberFormat('kk-KZ').format(1.5) === '1,5' ? 'kk-KZ' : 'ru-RU';
export const numberLocale = () => (current === 'kk' ? KK_NUMBERS : locale());

export function fmtNumber(n) {
  return new Intl.NumberFormat(numberLocale(), { maximumFractionDigits: 3 }).format(n || 0);
}

// CITY_ZONE is the city's time zone: times are shown as the city's clocks
// read them, wherever the browser thinks it is.
export const CITY_ZONE = 'Asia/Almaty';

// isoDay is the calendar day of a time in timeZone, as YYYY-MM-DD.
const isoDay = (d, timeZone) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);

// cityDay is the calendar day of a time in the city, as YYYY-MM-DD.
export const cityDay = (d) => isoDay(d, CITY_ZONE);

// fmtTime shows a time of today as 14:30, of another day with its date,
// in the city's time.
export function fmtTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  const sameDay = cityDay(d) === cityDay(new Date());
  const clock = new Intl.DateTimeFormat(locale(), { hour: '2-digit', minute: '2-digit', timeZone: CITY_ZONE }).format(d);
  return sameDay ? clock : `${dayMonth(d, CITY_ZONE)}, ${clock}`;
}

// Browsers built with a reduced set of languages (Chromium as Linux
// distributions ship it) know no Kazakh month names and print "М11 26",
// while saying they support Kazakh; the names come from here.
const MONTHS = { kk: ['қаң.', 'ақп.', 'нау.', 'сәу.', 'мам.', 'мау.', 'шіл.', 'там.', 'қыр.', 'қаз.', 'қар.', 'жел.'] };

// dayMonth shows the day of a time in timeZone as "3 Apr".
function dayMonth(d, timeZone) {
  if (!MONTHS[current]) {
    return new Intl.DateTimeFormat(locale(), { day: 'numeric', month: 'short', timeZone }).format(d);
  }
  const [, month, day] = isoDay(d, timeZone).split('-').map(Number);
  return `${day} ${MONTHS[current][month - 1]}`;
}

// fmtDayTime shows a time with its day, "3 Apr, 14:30", in the city's time.
export function fmtDayTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  const clock = new Intl.DateTimeFormat(locale(), { hour: '2-digit', minute: '2-digit', timeZone: CITY_ZONE }).format(d);
  return `${dayMonth(d, CITY_ZONE)}, ${clock}`;
}

// fmtDuration shows a google.protobuf.Duration ("5400s") as 1 h 30 min.
export function fmtDuration(d) {
  const minutes = Math.round(parseFloat(d || '0') / 60);
  const [hours, rest] = [Math.floor(minutes / 60), minutes % 60];
  return hours ? t('hoursMinutes', { h: hours, m: rest }) : t('minutes', { m: rest });
}

// fmtDay shows a google.type.Date as "3 Apr".
export function fmtDay(day) {
  return dayMonth(new Date(Date.UTC(day.year, day.month - 1, day.day)), 'UTC');
}

// unitLabel is a unit's short name; given a quantity, in the form that
// quantity takes ("1 box", "2 boxes").
export const unitLabel = (unit, quantity) => t(`u_${unit}`, quantity === undefined ? {} : { n: quantity });

// quantityText is a quantity with its unit: "1 box", "2.5 kg".
export const quantityText = (quantity, unit) => `${fmtNumber(quantity)} ${unitLabel(unit, quantity || 0)}`;

export function linesText(lines) {
  return (lines || []).map((l) => `${quantityText(l.quantity, l.unit)} ${l.description || t(l.category)}`).join(', ');
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
