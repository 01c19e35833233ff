/**
 * Qlik number-format patterns (`qNumFormat.qFmt`, e.g. `$#,##0.00`, `0.0%`, `# ##0,00`), and
 * the tick labels a chart axis draws with them. DOM-free: the dev tenant's engine formats `qText`
 * with the same code, so an axis reads like the values it measures.
 */

interface ParsedPattern {
  prefix: string;
  suffix: string;
  minInt: number;
  minDec: number;
  maxDec: number;
  grouping: boolean;
  percent: boolean;
}

function parseSection(section: string, dec: string, thou: string): ParsedPattern {
  const first = section.search(/[#0]/);
  if (first < 0) return { prefix: section, suffix: '', minInt: 1, minDec: 0, maxDec: 0, grouping: false, percent: section.includes('%') };
  let last = first;
  for (let i = first; i < section.length; i += 1) {
    const ch = section[i] as string;
    if (ch === '#' || ch === '0') last = i;
    else if (ch !== dec && ch !== thou) break;
  }
  const prefix = section.slice(0, first);
  const suffix = section.slice(last + 1);
  const body = section.slice(first, last + 1);
  const decAt = dec ? body.indexOf(dec) : -1;
  const intPart = decAt >= 0 ? body.slice(0, decAt) : body;
  const fracPart = decAt >= 0 ? body.slice(decAt + dec.length) : '';
  return {
    prefix,
    suffix,
    minInt: (intPart.match(/0/g) ?? []).length,
    minDec: (fracPart.match(/0/g) ?? []).length,
    maxDec: (fracPart.match(/[#0]/g) ?? []).length,
    grouping: thou !== '' && intPart.includes(thou),
    percent: (prefix + suffix).includes('%'),
  };
}

export function formatPattern(value: number, pattern: string, dec: string, thou: string): string {
  const sections = pattern.split(';');
  const negativeSection = value < 0 && sections.length > 1 ? sections[1] : undefined;
  const p = parseSection(negativeSection ?? (sections[0] as string), dec, thou);
  let abs = Math.abs(value);
  if (p.percent) abs *= 100;
  const factor = 10 ** p.maxDec;
  const rounded = Math.round(abs * factor * (1 + Number.EPSILON)) / factor;
  let [intDigits = '0', fracDigits = ''] = rounded.toFixed(p.maxDec).split('.');
  while (fracDigits.length > p.minDec && fracDigits.endsWith('0')) fracDigits = fracDigits.slice(0, -1);
  if (p.minInt === 0 && intDigits === '0' && fracDigits) intDigits = '';
  intDigits = intDigits.padStart(p.minInt, '0');
  if (p.grouping) intDigits = intDigits.replace(/\B(?=(\d{3})+(?!\d))/g, () => thou);
  const number = fracDigits ? `${intDigits}${dec}${fracDigits}` : intDigits;
  const isNegative = value < 0 && rounded !== 0;
  const text = `${p.prefix}${number}${p.suffix}`;
  return isNegative && negativeSection === undefined ? `-${text}` : text;
}

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

/**
 * Labels for evenly spaced axis ticks, in the measure's own format (its currency sign, percent,
 * separators), abbreviated to k/M/G when the ticks are large, with the decimals the spacing
 * needs and no more. Zero is written without a unit (`$0`, never `0M`).
 */
export function formatTicks(ticks: readonly number[], format: AxisNumberFormat | undefined): string[] {
  const patterned = format?.qFmt && ['F', 'M', 'R', 'I'].includes(format.qType ?? '');
  const dec = (patterned && format.qDec) || '.';
  const thou = patterned ? (format.qThou ?? ',') : ',';
  const section = patterned ? (format.qFmt?.split(';')[0] ?? '') : '#,##0';
  const { prefix, suffix, percent } = parseSection(section, dec, thou);
  const scale = percent ? 100 : 1;
  const largest = Math.max(0, ...ticks.map((t) => Math.abs(t * scale)));
  const [unit, symbol] = percent ? [1, ''] : (UNITS.find(([size]) => largest >= size) ?? [1, '']);
  const steps = ticks.slice(1).map((t, i) => Math.abs(t - (ticks[i] as number)) * scale);
  const step = Math.min(...steps.filter((s) => s > 0), largest || 1) / unit;
  const decimals = Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)));
  const body = `#${thou}##0${decimals > 0 ? dec + '#'.repeat(decimals) : ''}`;
  return ticks.map((tick) => {
    if (tick === 0) return formatPattern(0, `${prefix}0${suffix}`, dec, thou);
    return formatPattern(tick / unit, `${prefix}${body}${symbol}${suffix}`, dec, thou);
  });
}
