/** Value ordering by QIX sort criteria (state, frequency, numeric, ascii, load order). */
import type { Field } from './data-model.ts';
import type { SortCriteria } from './definitions.ts';

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: false });

function sign(n: number): number {
  return n > 0 ? 1 : n < 0 ? -1 : 0;
}

/**
 * value index → rank under the selection-independent criteria (frequency, numeric, ascii,
 * load order, in that priority), cached on the field. Values without a number sort after
 * those with one under numeric sorting.
 */
export function valueRanks(field: Field, sort: SortCriteria): Int32Array {
  const frequency = sign(sort.frequency);
  const numeric = sign(sort.numeric);
  const ascii = sign(sort.ascii);
  const loadOrder = sign(sort.loadOrder);
  const key = `${frequency}|${numeric}|${ascii}|${loadOrder}`;
  const values = field.values;
  return field.sortRank(key, (a, b) => {
    if (frequency) {
      const f = field.frequency;
      const d = ((f[a] as number) - (f[b] as number)) * frequency;
      if (d) return d;
    }
    if (numeric) {
      const x = (values[a] as { num: number }).num;
      const y = (values[b] as { num: number }).num;
      const xn = Number.isNaN(x);
      const yn = Number.isNaN(y);
      if (xn !== yn) return xn ? 1 : -1;
      if (!xn && x !== y) return (x - y) * numeric;
    }
    if (ascii) {
      const d = collator.compare((values[a] as { text: string }).text, (values[b] as { text: string }).text) * ascii;
      if (d) return d;
    }
    if (loadOrder) return (a - b) * loadOrder;
    return a - b;
  });
}

/** Sort-indicator letter for a column: `A`scending, `D`escending or `N`one. */
export function sortIndicator(direction: number, reverse: boolean): 'A' | 'D' | 'N' {
  const d = sign(direction) * (reverse ? -1 : 1);
  return d > 0 ? 'A' : d < 0 ? 'D' : 'N';
}

export function primaryDirection(sort: SortCriteria): number {
  return sign(sort.numeric) || sign(sort.ascii) || sign(sort.loadOrder) || sign(sort.frequency);
}
