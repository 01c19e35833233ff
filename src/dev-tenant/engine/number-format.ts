/**
 * `qText` for a number under a `qNumFormat`, as the engine renders it.
 *
 * Types: `U` (auto), `F` (fixed, pattern like `#,##0.00` or `0.0%`), `M` (money, `$#,##0`),
 * `R` (real), `I` (integer), `D` (date, `YYYY-MM-DD`), `TS` (timestamp). A pattern may have a
 * negative section after `;`. The pattern is written with the format's own decimal (`qDec`)
 * and thousands (`qThou`) separators, and the output uses them too.
 */
import type { NumFormat } from './data-model.ts';

export const AUTO_FORMAT: NumFormat = { qType: 'U', qnDec: 10, qUseThou: 0, qFmt: '', qDec: '.', qThou: ',' };

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Days between the QIX date origin (1899-12-30) and the Unix epoch. */
const SERIAL_EPOCH_OFFSET = 25569;

export function dateToSerial(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / 86_400_000 + SERIAL_EPOCH_OFFSET;
}

export function formatNumber(value: number, format: NumFormat | undefined): string {
  if (!Number.isFinite(value)) return '-';
  const fmt = format ?? AUTO_FORMAT;
  const dec = fmt.qDec || '.';
  const thou = fmt.qThou ?? ',';
  switch (fmt.qType) {
    case 'D':
    case 'T':
    case 'TS':
      return formatDate(value, fmt.qFmt || (fmt.qType === 'D' ? 'YYYY-MM-DD' : 'YYYY-MM-DD hh:mm:ss'));
    case 'F':
    case 'M':
    case 'R':
    case 'I': {
      const pattern = fmt.qFmt || defaultPattern(fmt, dec, thou);
      return formatPattern(fmt.qType === 'I' ? Math.round(value) : value, pattern, dec, thou);
    }
    default:
      return formatAuto(value, dec);
  }
}

function defaultPattern(fmt: NumFormat, dec: string, thou: string): string {
  const decimals = fmt.qType === 'I' ? 0 : Math.max(0, Math.min(15, fmt.qnDec ?? 2));
  const integer = fmt.qUseThou ? `#${thou}##0` : '0';
  const body = decimals > 0 ? `${integer}${dec}${'0'.repeat(decimals)}` : integer;
  return fmt.qType === 'M' ? `$${body};-$${body}` : body;
}

/** Auto format: up to 14 significant digits, no grouping, trailing zeros trimmed. */
function formatAuto(value: number, dec: string): string {
  const rounded = Number(value.toPrecision(14));
  const text = Math.abs(rounded) >= 1e15 || (rounded !== 0 && Math.abs(rounded) < 1e-6) ? rounded.toExponential() : String(rounded);
  return dec === '.' ? text : text.replace('.', dec);
}

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

function formatDate(serial: number, pattern: string): string {
  const ms = Math.round((serial - SERIAL_EPOCH_OFFSET) * 86_400_000);
  const d = new Date(ms);
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  const parts: Record<string, string> = {
    YYYY: String(d.getUTCFullYear()),
    YY: pad(d.getUTCFullYear() % 100),
    MMM: MONTHS[d.getUTCMonth()] as string,
    MM: pad(d.getUTCMonth() + 1),
    M: String(d.getUTCMonth() + 1),
    DD: pad(d.getUTCDate()),
    D: String(d.getUTCDate()),
    hh: pad(d.getUTCHours()),
    mm: pad(d.getUTCMinutes()),
    ss: pad(d.getUTCSeconds()),
  };
  return pattern.replace(/YYYY|YY|MMM|MM|M|DD|D|hh|mm|ss/g, (token) => parts[token] ?? token);
}
