// The board's ledger: record a donation of money or goods, record a
// purchase paid from the money donations (showing what is left per
// currency), and the recent donations with what each has left, reversible
// with a reason. Amounts travel as google.type.Money computed digit by
// digit from what was typed, never through floating point.
import { h, replace, field, options, showErrors, clearErrors, reasonForm } from './dom.js';
import * as api from './api.js';
import { t, numberLocale, fmtTime, linesText, enumOptions, localInput, fromLocalInput, DEFAULT_UNIT } from './i18n.js';

// FAILED_PRECONDITION: the donations hold too little for a purchase.
const FAILED_PRECONDITION = 9;
const CURRENCIES = ['KZT', 'USD'];
const CHANNELS = ['KASPI_GOLD', 'BANK_TRANSFER', 'CASH', 'OTHER'];
// The units that suit each category, as the server checks a line.
const UNITS_FOR = {
  FRUIT: ['KILOGRAM', 'PIECE', 'BOX'], VEGETABLES: ['KILOGRAM', 'PIECE', 'BOX'], JUICE: ['LITER', 'PIECE', 'BOX'],
  WATER: ['LITER', 'PIECE', 'BOX'], MEALS: ['PORTION', 'BOX'], OTHER: ['KILOGRAM', 'LITER', 'PORTION', 'PIECE', 'BOX'],
};
const RECENT = 15;

// AMBIGUOUS is what parseAmount says of "12,000" or "1.500".
export const AMBIGUOUS = 'ambiguous';

// parseAmount reads a typed amount ("12000.50", "12 000,50", "12,000.50",
// "1.234.567,89") as google.type.Money: units as a string of digits and
// nanos as a whole number of billionths, both read from the digits
// themselves, so what the server checks is exactly what was typed. Spaces
// group thousands; so does a comma or a point that stands more than once,
// or before the other one, which is then the decimal point. A lone comma or
// point before exactly three digits groups thousands in one language and is
// the decimal point in another: that is AMBIGUOUS, unless the currency has
// three decimals (KWD), where it can only be the fraction. It returns null
// for text that is no amount; an amount finer than the currency allows
// goes to the server, which says so.
export function parseAmount(text, currencyCode) {
  const typed = text.replace(/[\s\u00a0\u202f]/g, '');
  if (!/^\d+(?:[.,]\d+)*$/.test(typed)) return null;
  const parts = typed.split(/[.,]/);
  const seps = typed.match(/[.,]/g) || [];
  const point = seps.at(-1);
  let whole = parts;
  let fraction = '';
  if (seps.length === 1) {
    [whole, fraction] = [[parts[0]], parts[1]];
    if (fraction.length === 3 && minorDigits(currencyCode) !== 3) return AMBIGUOUS;
  } else if (seps.length > 1 && seps.some((c) => c !== point)) {
    // Grouped by the one, the decimal point the other, standing once.
    if (seps.slice(0, -1).includes(point)) return null;
    [whole, fraction] = [parts.slice(0, -1), parts.at(-1)];
  }
  const grouped = whole.length > 1;
  if (grouped && (whole[0].length > 3 || whole.slice(1).some((g) => g.length !== 3))) return null;
  const units = whole.join('');
  if (units.length > 18 || fraction.length > 9) return null;
  return { currencyCode, units: units.replace(/^0+(?=\d)/, ''), nanos: Number(fraction.padEnd(9, '0')) };
}

// minorDigits is how many decimal places the currency has: 2 for KZT and
// USD, 0 for JPY.
function minorDigits(code) {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits;
  } catch {
    return 2;
  }
}

// NANO is one unit of a currency in billionths, as google.type.Money
// counts its nanos.
const NANO = 1000000000n;

// nanosOf is a google.type.Money in billionths of its unit, as a BigInt:
// sums in it are exact whatever decimals the currency has.
export function nanosOf(m) {
  return BigInt(m.units || 0) * NANO + BigInt(m.nanos || 0);
}

// fmtNanos shows an amount in billionths as the language writes numbers,
// with the currency's decimals: "12 000,50 KZT". The server says how fine
// an amount may be; where the browser counts a currency coarser than the
// server (HUF, which it writes without decimals), an amount with a
// fraction shows it, with two decimals at least, rather than drop it.
export function fmtNanos(nanos, code) {
  const sign = nanos < 0n ? '−' : '';
  const abs = nanos < 0n ? -nanos : nanos;
  const fractionDigits = String(abs % NANO).padStart(9, '0').replace(/0+$/, '');
  const digits = fractionDigits.length > minorDigits(code) ? Math.max(2, fractionDigits.length) : minorDigits(code);
  const locale = numberLocale();
  const whole = new Intl.NumberFormat(locale).format(abs / NANO);
  const point = new Intl.NumberFormat(locale).formatToParts(1.5).find((x) => x.type === 'decimal')?.value || '.';
  const fraction = digits ? point + String(abs % NANO).padStart(9, '0').slice(0, digits) : '';
  return `${sign}${whole}${fraction}\u00a0${code}`;
}

export const fmtMoney = (m) => (m ? fmtNanos(nanosOf(m), m.currencyCode) : '');

// ledgerPanel draws the ledger section from board state s (its depots);
// changed is called once something is recorded.
export function ledgerPanel(s, { depotName, changed }) {
  const p = { recent: [], money: [], reversing: '', reverseId: '' };
  const el = {};
  let shown = '';

  function section() {
    shown = '';
    el.recent = h('ol', { class: 'donations', id: 'donations' });
    el.left = h('p', { class: 'money-left', 'aria-live': 'polite' });
    el.funding = h('div', { class: 'funding' });
    const node = h('section', { class: 'ledger', 'aria-labelledby': 'ledger-h' },
      h('h2', { id: 'ledger-h' }, t('ledgerTitle')),
      donationForm(),
      purchaseForm(),
      h('h3', { id: 'donations-h' }, t('recentDonations')),
      el.recent);
    draw();
    return node;
  }

  async function refresh() {
    const [recent, money] = await Promise.all([
      api.get(`/v1/donations${api.query({ pageSize: RECENT })}`),
      api.listAll('/v1/donations', 'donations', { moneyLeft: true }),
    ]);
    p.recent = recent.donations || [];
    p.money = money;
    const now = JSON.stringify([p.recent, p.money]);
    if (now === shown) return;
    shown = now;
    draw();
  }

  // left is what the money donations hold, per currency, in minor units.
  function left() {
    const by = new Map();
    for (const d of p.money) {
      const m = d.money?.left;
      if (!m?.currencyCode) continue;
      by.set(m.currencyCode, (by.get(m.currencyCode) || 0n) + nanosOf(m));
    }
    return by;
  }

  function draw() {
    if (!el.recent) return;
    const by = left();
    replace(el.left, h('strong', {}, t('moneyLeft')), ' ',
      by.size ? [...by].map(([code, nanos], i) => [i ? ' · ' : '', h('span', { 'data-currency': code }, fmtNanos(nanos, code))]) : t('noMoney'));
    drawFunding();
    if (!p.recent.length) { replace(el.recent, h('li', { class: 'empty' }, t('noDonations'))); return; }
    replace(el.recent, p.recent.map(donationItem));
  }

  // --- a donation ---------------------------------------------------------
  function donationForm() {
    const d = { kind: 'MONEY', lines: [blankLine()], requestId: api.uuid() };
    const kind = h('select', { onchange: (e) => { d.kind = e.target.value; showKind(); } },
      options([['MONEY', t('giftMoney')], ['GOODS', t('giftGoods')]], d.kind));
    const donor = h('input', { type: 'text', autocomplete: 'off' });
    const contact = h('input', { type: 'text', autocomplete: 'off' });
    const publicNaming = h('input', { type: 'checkbox', id: 'donor-public' });
    const amount = amountFields('money.amount');
    const channel = h('select', {}, options([['', t('choose')], ...CHANNELS.map((c) => [c, t(`channel_${c}`)])]));
    const reference = h('input', { type: 'text', autocomplete: 'off' });
    const depot = depotSelect();
    const lines = linesEditor(d.lines, 'goods.lines');
    const received = h('input', { type: 'datetime-local', value: localInput(new Date()) });
    const notes = h('input', { type: 'text' });
    const notice = h('p', { class: 'notice', role: 'status' });
    const money = h('div', { class: 'gift-money' }, amount.node,
      h('div', { class: 'row' }, field(t('channel'), channel, 'money.channel'), field(t('paymentReference'), reference, 'money.payment_reference')));
    const goods = h('div', { class: 'gift-goods' }, field(t('depot'), depot, 'goods.depot'), lines.node);
    const showKind = () => { money.hidden = d.kind !== 'MONEY'; goods.hidden = d.kind !== 'GOODS'; };
    showKind();
    const form = h('form', { class: 'donation', novalidate: true, 'aria-labelledby': 'donation-h', onsubmit: async (e) => {
      e.preventDefault();
      clearErrors(form);
      notice.textContent = '';
      const body = { donor: { displayName: donor.value, contact: contact.value, publicNaming: publicNaming.checked },
        receiveTime: fromLocalInput(received.value), notes: notes.value };
      if (d.kind === 'MONEY') {
        const value = amount.read();
        if (!amountRead(form, 'money.amount', value)) return;
        body.money = { amount: value, channel: channel.value || undefined, paymentReference: reference.value };
      } else {
        body.goods = { depot: depot.value, lines: lines.read() };
      }
      try {
        await api.post(`/v1/donations${api.query({ requestId: d.requestId })}`, body);
        d.requestId = api.uuid();
        for (const c of [donor, contact, reference, notes]) c.value = '';
        publicNaming.checked = false;
        channel.value = '';
        amount.clear();
        d.lines.splice(0, d.lines.length, blankLine());
        lines.draw();
        received.value = localInput(new Date());
        notice.textContent = t('donationRecorded');
        await changed();
      } catch (err) {
        // A refused donation is a different one once corrected.
        if (err instanceof api.ApiError && err.status < 500) d.requestId = api.uuid();
        showErrors(form, err, ['donation.']);
      }
    } },
    h('h3', { id: 'donation-h' }, t('recordDonation')),
    h('p', { class: 'form-error', role: 'alert' }),
    field(t('giftKind'), kind, 'gift'),
    h('div', { class: 'row' }, field(t('donorName'), donor, 'donor.display_name'), field(t('donorContact'), contact, 'donor.contact')),
    h('label', { class: 'check', for: 'donor-public' }, publicNaming, t('publicNaming')),
    money, goods,
    h('div', { class: 'row' }, field(t('receivedAt'), received, 'receive_time'), field(t('notes'), notes, 'notes')),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('recordDonationButton'))),
    notice);
    return form;
  }

  // --- a purchase ---------------------------------------------------------
  function purchaseForm() {
    const d = { lines: [blankLine()], requestId: api.uuid() };
    const supplier = h('input', { type: 'text', autocomplete: 'off' });
    const amount = amountFields('amount', () => drawFunding());
    const receipt = h('input', { type: 'text', autocomplete: 'off' });
    const depot = depotSelect();
    const lines = linesEditor(d.lines, 'lines');
    const notice = h('p', { class: 'notice', role: 'status' });
    el.purchaseCurrency = amount.currency;
    const form = h('form', { class: 'purchase', novalidate: true, 'aria-labelledby': 'purchase-h', onsubmit: async (e) => {
      e.preventDefault();
      clearErrors(form);
      notice.textContent = '';
      const value = amount.read();
      if (!amountRead(form, 'amount', value)) return;
      const fundingDonations = [...el.funding.querySelectorAll('input:checked')].map((x) => x.value);
      try {
        await api.post(`/v1/purchases${api.query({ requestId: d.requestId })}`, {
          supplier: supplier.value, amount: value, receiptReference: receipt.value, depot: depot.value, lines: lines.read(), fundingDonations,
        });
        d.requestId = api.uuid();
        for (const c of [supplier, receipt]) c.value = '';
        for (const c of el.funding.querySelectorAll('input:checked')) c.checked = false;
        amount.clear();
        d.lines.splice(0, d.lines.length, blankLine());
        lines.draw();
        notice.textContent = t('purchaseRecorded');
        await changed();
      } catch (err) {
        if (err instanceof api.ApiError && err.status < 500) d.requestId = api.uuid();
        // Which named donation is at fault is told at the list of them;
        // too little money, at the amount.
        const violations = (err.violations || []).map((v) => ({ ...v, field: v.field.replace(/^purchase\.funding_donations\[\d+\]/, 'purchase.funding_donations') }));
        if (err instanceof api.ApiError && err.code === FAILED_PRECONDITION && !violations.length) violations.push({ field: 'amount', description: err.message });
        showErrors(form, { message: err.message, violations }, ['purchase.']);
      }
    } },
    h('h3', { id: 'purchase-h' }, t('recordPurchase')),
    el.left,
    h('p', { class: 'form-error', role: 'alert' }),
    h('div', { class: 'row' }, field(t('supplier'), supplier, 'supplier'), field(t('receiptReference'), receipt, 'receipt_reference')),
    amount.node,
    field(t('depotInto'), depot, 'depot'),
    lines.node,
    h('fieldset', { class: 'funding-set' }, h('legend', {}, t('payFrom')),
      h('p', { class: 'field-error', 'data-error-for': 'funding_donations' }), el.funding),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('recordPurchaseButton'))),
    notice);
    return form;
  }

  // drawFunding lists the money donations of the purchase's currency with
  // money left, oldest first, as the server spends them when none is ticked.
  function drawFunding() {
    if (!el.funding || !el.purchaseCurrency) return;
    const code = el.purchaseCurrency();
    const ticked = new Set([...el.funding.querySelectorAll('input:checked')].map((x) => x.value));
    const usable = p.money.filter((d) => d.money?.left?.currencyCode === code && nanosOf(d.money.left) > 0n)
      .sort((a, b) => a.receiveTime.localeCompare(b.receiveTime));
    replace(el.funding,
      h('p', { class: 'muted' }, t('payFromHint')),
      usable.length ? h('ul', { class: 'funding-list' }, usable.map((d) => {
        const id = `fund-${api.idOf(d.name)}`;
        return h('li', {}, h('input', { type: 'checkbox', id, value: d.name, checked: ticked.has(d.name) }),
          h('label', { for: id }, `${d.donor.displayName} · ${fmtTime(d.receiveTime)} · `, t('leftOf', { left: fmtMoney(d.money.left), amount: fmtMoney(d.money.amount) })));
      })) : h('p', { class: 'empty' }, t('noMoneyIn', { code })));
  }

  // --- the recent donations -------------------------------------------------
  function donationItem(d) {
    const money = d.money;
    const what = money ? fmtMoney(money.amount) : t('goodsAt', { what: linesText(d.goods?.lines), depot: depotName(d.goods?.depot || '') });
    const canReverse = !d.reverses && !d.reversedBy;
    return h('li', { class: `donation ${d.reversedBy ? 'reversed' : ''} ${d.reverses ? 'reversing' : ''}`, 'data-name': d.name },
      h('p', {}, h('strong', { class: 'who' }, d.donor?.displayName || ''), ' ',
        d.donor?.publicNaming ? h('span', { class: 'badge' }, t('namedPublicly')) : null),
      h('p', { class: 'what' }, what),
      h('p', { class: 'muted' }, fmtTime(d.receiveTime), money?.channel ? ` · ${t(`channel_${money.channel}`)}` : '',
        money?.paymentReference ? ` · ${money.paymentReference}` : ''),
      money && canReverse ? h('p', { class: 'spent' }, t('spentLeft', { spent: fmtMoney(money.spent), left: fmtMoney(money.left) })) : null,
      d.reversedBy ? h('p', { class: 'reversal' }, h('span', { 'aria-hidden': 'true' }, '↩ '), t('reversedBecause', { reason: d.reverseReason || '' })) : null,
      d.reverses ? h('p', { class: 'reversal' }, h('span', { 'aria-hidden': 'true' }, '↩ '), t('reversingEntry', { reason: d.reverseReason || '' })) : null,
      canReverse && p.reversing !== d.name ? h('div', { class: 'actions' }, h('button', { type: 'button', class: 'small secondary', 'data-action': 'reverse',
        onclick: () => { p.reversing = d.name; p.reverseId = api.uuid(); draw(); } }, t('reverse'))) : null,
      p.reversing === d.name ? reasonForm({
        label: t('reverseReason'), confirm: t('confirmReverse'), backLabel: t('back'), className: 'reverse',
        onBack: () => { p.reversing = ''; draw(); },
        send: async (reason) => {
          try {
            await api.post(`/v1/${d.name}:reverse`, { reason, etag: d.etag, requestId: p.reverseId });
          } catch (err) {
            if (err instanceof api.ApiError && err.status < 500) p.reverseId = api.uuid();
            throw err;
          }
          p.reversing = '';
          await changed();
        },
      }) : null);
  }

  // --- shared fields --------------------------------------------------------
  function depotSelect() {
    return h('select', {}, options([['', t('choose')], ...[...s.depots.values()].filter((x) => !x.archived).map((x) => [x.name, x.displayName])]));
  }

  // amountRead says at the field, in the page's language, why a typed
  // amount cannot be sent; it is true when it can.
  function amountRead(form, path, value) {
    const problem = value === null ? 'amountFormat' : value === AMBIGUOUS ? 'amountAmbiguous' : '';
    if (problem) showErrors(form, { violations: [{ field: path, description: t(problem) }] });
    return !problem;
  }

  // amountFields is an amount with its currency: KZT, USD or another ISO
  // code typed in. read() is the google.type.Money, null if not a number.
  function amountFields(path, onCurrency = () => {}) {
    const value = h('input', { type: 'text', inputmode: 'decimal', autocomplete: 'off', placeholder: '12000.50' });
    const other = h('input', { type: 'text', autocomplete: 'off', maxlength: '3', placeholder: 'EUR', oninput: () => onCurrency() });
    const otherField = field(t('currencyCode'), other, `${path}.currency_code`);
    const currency = h('select', { onchange: () => { otherField.hidden = currency.value !== 'other'; onCurrency(); } },
      options([...CURRENCIES.map((c) => [c, c]), ['other', t('otherCurrency')]], 'KZT'));
    otherField.hidden = true;
    const code = () => (currency.value === 'other' ? other.value.trim().toUpperCase() : currency.value);
    return {
      node: h('div', { class: 'row amount' }, field(t('amount'), value, path), field(t('currency'), currency), otherField),
      currency: code,
      read: () => (value.value.trim() === '' ? undefined : parseAmount(value.value, code())),
      clear: () => { value.value = ''; },
    };
  }

  const blankLine = () => ({ category: 'FRUIT', description: '', quantity: '', unit: DEFAULT_UNIT.FRUIT, bestBefore: '' });

  // linesEditor edits goods lines in place: category, description,
  // quantity, a unit that suits the category, and best-before.
  function linesEditor(lines, path) {
    const node = h('div', { class: 'lines' });
    const unitOptions = (category) => enumOptions('unit').filter(([v]) => UNITS_FOR[category].includes(v));
    const draw = () => replace(node, h('div', { class: 'field-error', 'data-error-for': path }), lines.map((line, i) => {
      const at = `${path}[${i}]`;
      const category = h('select', { onchange: (e) => { line.category = e.target.value; line.unit = DEFAULT_UNIT[line.category]; draw(); } },
        options(enumOptions('category'), line.category));
      const unit = h('select', { onchange: (e) => { line.unit = e.target.value; } }, options(unitOptions(line.category), line.unit));
      const description = h('input', { type: 'text', value: line.description, oninput: (e) => { line.description = e.target.value; } });
      const quantity = h('input', { type: 'number', inputmode: 'decimal', step: 'any', min: '0', value: line.quantity, oninput: (e) => { line.quantity = e.target.value; } });
      const bestBefore = h('input', { type: 'date', value: line.bestBefore, oninput: (e) => { line.bestBefore = e.target.value; } });
      return h('fieldset', { class: 'line-item', 'data-line': i },
        h('legend', {}, t('lineN', { n: i + 1 })),
        h('div', { class: 'row' }, field(t('category'), category, `${at}.category`), field(t('what'), description, `${at}.description`)),
        h('div', { class: 'row' }, field(t('quantity'), quantity, `${at}.quantity`), field(t('unit'), unit, `${at}.unit`),
          field(t('bestBeforeField'), bestBefore, `${at}.best_before`)),
        lines.length > 1 ? h('button', { type: 'button', class: 'small secondary', onclick: () => { lines.splice(i, 1); draw(); } }, t('removeLine')) : null);
    }), h('button', { type: 'button', class: 'secondary', onclick: () => { lines.push(blankLine()); draw(); } }, t('addLine')));
    draw();
    return {
      node, draw,
      read: () => lines.map((l) => {
        const [year, month, day] = (l.bestBefore || '').split('-').map(Number);
        return { category: l.category, description: l.description, unit: l.unit, quantity: l.quantity === '' ? 0 : Number(l.quantity),
          bestBefore: l.bestBefore ? { year, month, day } : undefined };
      }),
    };
  }

  return { section, refresh };
}
