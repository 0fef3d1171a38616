// Quantities and places as words inside a sentence: "7 of 13 portions of
// plov", "плов — 7 порций из 13", "палау: 13 порция ішінен 7 порция". Each
// language says them its own way, so the whole phrase is one label, and the
// unit's word takes the plural form its number asks for.
import { t, fmtNumber } from './i18n.js';

// unitWord is the unit as a word after the number n: "1 portion",
// "5 порций".
export const unitWord = (unit, n) => t(`w_${unit}`, { n });

// what names a line's goods inside a sentence: its description, or its
// category in lower case.
export const what = (line) => line.description || t(line.category).toLocaleLowerCase();

// part says how much of a line: all of it ("13 portions of plov"), or x of
// its y ("7 of 13 portions of plov").
export function part(line, x, y = x) {
  const vars = { x: fmtNumber(x), y: fmtNumber(y), what: what(line) };
  if (x === y) return t('phraseAll', { ...vars, unit: unitWord(line.unit, x) });
  return t('phraseOf', { ...vars, unit: unitWord(line.unit, y), unitX: unitWord(line.unit, x) });
}

// outstanding says what is still to bring of a line once some of it was
// handed over ("6 of 13 portions of plov still to bring").
export function outstanding(line) {
  const left = Math.max(line.quantity - (line.deliveredQuantity || 0), 0);
  return t('phraseLeft', {
    x: fmtNumber(left), y: fmtNumber(line.quantity), what: what(line),
    unit: unitWord(line.unit, line.quantity), unitX: unitWord(line.unit, left),
  });
}

// listParts joins phrases, text or links, as the language does: "a, b and
// c"; list joins text.
export function listParts(items) {
  return items.flatMap((x, i) => (i === 0 ? [x] : [i === items.length - 1 ? ` ${t('and')} ` : ', ', x]));
}

export const list = (items) => listParts(items).join('');
