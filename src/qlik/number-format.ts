/**
 * Axis tick labels in a measure's number format (`qNumFormat`): its currency sign or percent,
 * its separators, abbreviated to k/M/G when the ticks are large, so an axis reads like the
 * values it measures. DOM-free. (The engine formats each value's `qText` itself; ticks are
 * values no cell has, so the kit writes them from the same pattern.)
 */

/** The part of a measure's `qNumFormat` an axis needs. */
export interface AxisNumberFormat {
  qType?: string;
  qFmt?: string;
  qDec?: string;
  qThou?: string;
}

const UNITS: [number, string][] = [
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'k'],
];

/** The text around a pattern's digits (`$` in `$#,##0`, `%` in `0.0%`), and whether it groups thousands. */
function affixes(pattern: string, dec: string, thou: string): { prefix: string; suffix: string; grouping: boolean } {
  const digits = new RegExp(`[#0](?:[#0]|${escape(dec)}|${escape(thou)})*`);
  const match = digits.exec(pattern);
  if (!match) return { prefix: pattern, suffix: '', grouping: false };
  return { prefix: pattern.slice(0, match.index), suffix: pattern.slice(match.index + match[0].length), grouping: thou !== '' && match[0].includes(thou) };
}

/** The fewest decimals (at most 6) that write `value` exactly. */
function decimalsOf(value: number): number {
  let decimals = 0;
  while (decimals < 6 && Math.abs(Math.round(value * 10 ** decimals) - value * 10 ** decimals) > 1e-6) decimals += 1;
  return decimals;
}

function escape(text: string): string {
  return text ? text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : '(?!)';
}

/**
 * Labels for axis ticks: the measure's prefix and suffix, with the decimals the ticks need and
 * no more, and a k/M/G unit for large ticks. Zero is written without a unit
 * (`$0`, never `0M`).
 */
export function formatTicks(ticks: readonly number[], format: AxisNumberFormat | undefined): string[] {
  const patterned = Boolean(format?.qFmt) && ['F', 'M', 'R', 'I'].includes(format?.qType ?? '');
  const dec = (patterned && format?.qDec) || '.';
  const thou = patterned ? (format?.qThou ?? ',') : ',';
  const { prefix, suffix, grouping } = affixes(patterned ? (format?.qFmt?.split(';')[0] ?? '') : '#,##0', dec, thou);
  const scale = suffix.includes('%') ? 100 : 1;
  const largest = Math.max(0, ...ticks.map((t) => Math.abs(t * scale)));
  const [unit, symbol] = scale === 100 ? [1, ''] : (UNITS.find(([size]) => largest >= size) ?? [1, '']);
  const decimals = Math.max(0, ...ticks.map((tick) => decimalsOf((tick * scale) / unit)));
  return ticks.map((tick) => {
    const value = (tick * scale) / (tick === 0 ? 1 : unit);
    const [int = '0', fraction = ''] = Math.abs(value).toFixed(decimals).split('.');
    const trimmed = fraction.replace(/0+$/, '');
    const grouped = grouping ? int.replace(/\B(?=(\d{3})+(?!\d))/g, thou) : int;
    const sign = value < 0 && Number(`${int}.${fraction || 0}`) !== 0 ? '-' : '';
    return `${sign}${prefix}${grouped}${trimmed ? dec + trimmed : ''}${tick === 0 ? '' : symbol}${suffix}`;
  });
}
