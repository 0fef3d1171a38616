// Small helpers to build the page. Text from the server is always set as
// text, never parsed as HTML.

// h creates an element: attrs holds attributes, "on*" listeners and
// "class"; children are nodes, strings or arrays of them (null is skipped).
export function h(tag, attrs = {}, ...children) {
  const svg = ['svg', 'g', 'rect', 'circle', 'line', 'polyline', 'text', 'title', 'path'].includes(tag);
  const el = svg ? document.createElementNS('http://www.w3.org/2000/svg', tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'value' && !svg) el.value = v;
    else if (k === 'checked' || k === 'selected') el[k] = Boolean(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

// replace puts new children in place of an element's old ones.
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

// options builds <option>s from [value, label] pairs.
export function options(pairs, selected) {
  return pairs.map(([value, label]) => h('option', { value, selected: value === selected }, label));
}

let ids = 0;
// uid returns an id unique in the page, for labels and descriptions.
export function uid(prefix = 'f') { ids += 1; return `${prefix}-${ids}`; }

// field is a labelled control with a place for the server's message about
// it; name is the field's path in the API, e.g. "lines[0].quantity".
export function field(label, control, name) {
  const id = control.id || uid();
  control.id = id;
  const error = h('p', { class: 'field-error', id: `${id}-error`, 'data-error-for': name });
  if (name) {
    control.dataset.field = name;
    control.setAttribute('aria-describedby', `${id}-error`);
  }
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, error);
}

// showErrors puts each field violation next to its field in form, and the
// violations without a field on the page in the form's summary; the
// message goes there only for an error without violations, as it repeats
// them. It returns whether every violation found its field.
export function showErrors(form, err, prefixes = []) {
  clearErrors(form);
  const summary = form.querySelector('.form-error');
  const loose = [];
  for (const v of err.violations || []) {
    let path = v.field;
    for (const p of prefixes) if (path.startsWith(p)) path = path.slice(p.length);
    const slot = form.querySelector(`[data-error-for="${CSS.escape(path)}"]`);
    const control = form.querySelector(`[data-field="${CSS.escape(path)}"]`);
    if (slot) {
      slot.textContent = slot.textContent ? `${slot.textContent} ${v.description}` : v.description;
      if (control) control.setAttribute('aria-invalid', 'true');
    } else {
      loose.push(v.description);
    }
  }
  if (summary) summary.textContent = (err.violations || []).length ? loose.join(' ') : err.message || '';
  const first = form.querySelector('[aria-invalid=true]');
  if (first) first.focus();
  return loose.length === 0;
}

export function clearErrors(form) {
  for (const el of form.querySelectorAll('.field-error, .form-error')) el.textContent = '';
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
}

// reasonForm asks why before an action that needs a reason: cancelling a run
// or a need, or a drop that could not be made. send(reason) makes the call;
// what it throws is shown in the form, the server's word on the reason
// beside the field. onBack closes the form; buttonClass sizes the buttons.
export function reasonForm({ label, confirm, backLabel, onBack, send, className = '', buttonClass = '' }) {
  const reason = h('input', { type: 'text', autocomplete: 'off' });
  const form = h('form', { novalidate: true, class: `reason ${className}`, onsubmit: async (e) => {
    e.preventDefault();
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      await send(reason.value);
    } catch (err) {
      showErrors(form, err);
    } finally {
      button.disabled = false;
    }
  } },
  h('p', { class: 'form-error', role: 'alert' }),
  field(label, reason, 'reason'),
  h('div', { class: 'actions' },
    h('button', { type: 'submit', class: `danger ${buttonClass}` }, confirm),
    h('button', { type: 'button', class: `secondary ${buttonClass}`, onclick: onBack }, backLabel)));
  setTimeout(() => reason.focus());
  return form;
}
