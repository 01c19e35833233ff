/**
 * The Sales app's order lines, generated from a fixed seed so every run (and every test)
 * sees the same numbers. Rows come out in date order, so a field's load order is chronological.
 */
import type { DualValue, FieldSpec } from './data-model.ts';
import { dateToSerial } from './number-format.ts';

export type SalesRow = {
  OrderID: number;
  Date: DualValue;
  Year: number;
  Month: DualValue;
  YearMonth: DualValue;
  Customer: string;
  Region: string;
  Country: string;
  Category: string;
  Product: string;
  Quantity: number;
  Sales: number;
};

export const SALES_FIELDS: readonly FieldSpec[] = [
  { name: 'OrderID', tags: ['$key'] },
  { name: 'Date', tags: ['$date', '$timestamp'], numFormat: { qType: 'D', qnDec: 0, qUseThou: 0, qFmt: 'YYYY-MM-DD', qDec: '.', qThou: ',' } },
  { name: 'Year' },
  { name: 'Month' },
  { name: 'YearMonth', tags: ['$date'] },
  { name: 'Customer' },
  { name: 'Region', tags: ['$geoname'] },
  { name: 'Country', tags: ['$geoname'] },
  { name: 'Category' },
  { name: 'Product' },
  { name: 'Quantity' },
  { name: 'Sales', numFormat: { qType: 'M', qnDec: 2, qUseThou: 1, qFmt: '$#,##0.00', qDec: '.', qThou: ',' } },
];

export const DEFAULT_SEED = 20_240_601;
export const DEFAULT_ROWS = 50_000;
export const FIRST_YEAR = 2022;
export const LAST_YEAR = 2024;

/** mulberry32: a tiny, fast, well-distributed 32-bit PRNG. Returns floats in [0, 1). */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const REGIONS: ReadonlyArray<{ region: string; countries: ReadonlyArray<[string, number]> }> = [
  { region: 'Americas', countries: [['United States', 30], ['Canada', 7], ['Mexico', 4], ['Brazil', 5], ['Argentina', 2]] },
  { region: 'Europe', countries: [['United Kingdom', 8], ['Germany', 9], ['France', 7], ['Sweden', 4], ['Spain', 4], ['Italy', 4]] },
  { region: 'Asia Pacific', countries: [['Japan', 6], ['Australia', 5], ['India', 4], ['Singapore', 2], ['South Korea', 3]] },
  { region: 'Middle East & Africa', countries: [['South Africa', 2], ['United Arab Emirates', 2], ['Nigeria', 1], ['Egypt', 1]] },
];

interface ProductDef {
  product: string;
  category: string;
  price: number;
  maxQuantity: number;
  weight: number;
}

const PRODUCTS: readonly ProductDef[] = [
  { product: 'Road Bike', category: 'Bikes', price: 1249, maxQuantity: 2, weight: 4 },
  { product: 'Mountain Bike', category: 'Bikes', price: 989, maxQuantity: 2, weight: 5 },
  { product: 'City Bike', category: 'Bikes', price: 549, maxQuantity: 3, weight: 6 },
  { product: 'Kids Bike', category: 'Bikes', price: 219, maxQuantity: 3, weight: 4 },
  { product: 'Wheel Set', category: 'Components', price: 329, maxQuantity: 4, weight: 5 },
  { product: 'Brake Kit', category: 'Components', price: 85, maxQuantity: 6, weight: 7 },
  { product: 'Chain', category: 'Components', price: 27.5, maxQuantity: 10, weight: 9 },
  { product: 'Saddle', category: 'Components', price: 49.9, maxQuantity: 6, weight: 6 },
  { product: 'Jersey', category: 'Clothing', price: 64.95, maxQuantity: 8, weight: 8 },
  { product: 'Cycling Shorts', category: 'Clothing', price: 54.5, maxQuantity: 8, weight: 7 },
  { product: 'Gloves', category: 'Clothing', price: 21.99, maxQuantity: 12, weight: 8 },
  { product: 'Rain Jacket', category: 'Clothing', price: 129, maxQuantity: 4, weight: 4 },
  { product: 'Helmet', category: 'Accessories', price: 74.9, maxQuantity: 6, weight: 9 },
  { product: 'Bike Light', category: 'Accessories', price: 29.95, maxQuantity: 10, weight: 8 },
  { product: 'Lock', category: 'Accessories', price: 39.5, maxQuantity: 6, weight: 7 },
  { product: 'Water Bottle', category: 'Accessories', price: 8.99, maxQuantity: 20, weight: 10 },
  { product: 'Tune-up', category: 'Services', price: 89, maxQuantity: 1, weight: 5 },
  { product: 'Bike Fitting', category: 'Services', price: 149, maxQuantity: 1, weight: 2 },
];

const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const NAME_START = ['Alpine', 'Urban', 'Coastal', 'Summit', 'Velo', 'Pioneer', 'Northern', 'Metro', 'Green', 'Rapid', 'Trail', 'Harbor', 'Sunny', 'Iron', 'Blue', 'Granite', 'Prairie', 'Cedar', 'Falcon', 'Orbit', 'Maple', 'Canyon', 'Delta', 'Evergreen', 'Nova', 'Riverside', 'Atlas', 'Crescent', 'Golden', 'Liberty'];
const NAME_END = ['Cycles', 'Riders', 'Sports', 'Outfitters', 'Wheels', 'Bikes', 'Gear', 'Motion', 'Pedals', 'Works', 'Traders', 'Supply', 'Club', 'Co.', 'Store', 'Shop', 'Ventures', 'Mobility', 'Velo', 'Collective', 'Partners', 'Depot', 'Garage', 'Lab', 'House', 'Market', 'Corner', 'Hub', 'Station', 'Express', 'Direct', 'Group', 'Goods', 'Brothers', 'Union', 'Line', 'Point', 'Way', 'Yard', 'Loop'];
const CUSTOMER_COUNT = 1200;

function weightedPicker<T>(items: readonly T[], weight: (item: T) => number): (u: number) => T {
  const cumulative: number[] = [];
  let total = 0;
  for (const item of items) {
    total += weight(item);
    cumulative.push(total);
  }
  return (u) => {
    const target = u * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] as number) > target) hi = mid;
      else lo = mid + 1;
    }
    return items[lo] as T;
  };
}

interface Day {
  year: number;
  month: number;
  weight: number;
  /** Duals shared by every row of the day. */
  date: DualValue;
  monthDual: DualValue;
  yearMonth: DualValue;
}

function calendar(random: () => number): Day[] {
  const days: Day[] = [];
  const growth: Record<number, number> = { 2022: 1, 2023: 1.18, 2024: 1.36 };
  for (let t = Date.UTC(FIRST_YEAR, 0, 1); t <= Date.UTC(LAST_YEAR, 11, 31); t += 86_400_000) {
    const d = new Date(t);
    const year = d.getUTCFullYear();
    const month = d.getUTCMonth() + 1;
    const day = d.getUTCDate();
    const season = 1 + 0.35 * Math.sin(((month - 3) / 12) * 2 * Math.PI);
    const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6 ? 0.7 : 1;
    const noise = 0.85 + random() * 0.3;
    const monthName = MONTH_NAMES[month - 1] as string;
    days.push({
      year,
      month,
      weight: (growth[year] ?? 1) * season * weekend * noise,
      date: { text: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`, num: dateToSerial(year, month, day) },
      monthDual: { text: monthName, num: month },
      yearMonth: { text: `${monthName} ${year}`, num: dateToSerial(year, month, 1) },
    });
  }
  return days;
}

/**
 * Generates `count` order lines. Same `count` and `seed`, same rows. Each line belongs to an
 * order of one to three lines that share date, customer and country.
 */
export function generateSalesRows(count = DEFAULT_ROWS, seed = DEFAULT_SEED): SalesRow[] {
  const random = createRandom(seed);
  const days = calendar(random);
  const totalWeight = days.reduce((sum, d) => sum + d.weight, 0);

  const countryPicker = weightedPicker(
    REGIONS.flatMap((r) => r.countries.map(([country, weight]) => ({ region: r.region, country, weight }))),
    (c) => c.weight,
  );
  const customers = Array.from({ length: CUSTOMER_COUNT }, (_, i) => ({
    name: `${NAME_START[i % NAME_START.length]} ${NAME_END[Math.floor(i / NAME_START.length) % NAME_END.length]}`,
    ...countryPicker(random()),
    weight: 0.2 + random() ** 3 * 5,
  }));
  const customerPicker = weightedPicker(customers, (c) => c.weight);
  const productPicker = weightedPicker(PRODUCTS, (p) => p.weight);

  const rows: SalesRow[] = new Array<SalesRow>(count);
  // Each line's day comes from the weighted calendar at quantile (i + ½) / count, so rows
  // arrive in date order and follow the seasonal weights without a sort.
  let dayIndex = 0;
  let dayEnd = (days[0] as Day).weight;
  let orderId = 100_000;
  let linesLeft = 0;
  let customer = customers[0] as (typeof customers)[number];
  let orderDay = -1;
  for (let i = 0; i < count; i += 1) {
    const target = ((i + 0.5) / count) * totalWeight;
    while (target > dayEnd && dayIndex < days.length - 1) {
      dayIndex += 1;
      dayEnd += (days[dayIndex] as Day).weight;
    }
    const day = days[dayIndex] as Day;
    if (linesLeft === 0 || orderDay !== dayIndex) {
      orderId += 1;
      linesLeft = 1 + (random() < 0.3 ? 1 : 0) + (random() < 0.1 ? 1 : 0);
      customer = customerPicker(random());
      orderDay = dayIndex;
    }
    linesLeft -= 1;
    const product = productPicker(random());
    const quantity = 1 + Math.floor(random() ** 2 * product.maxQuantity);
    const discount = quantity >= 5 ? 0.1 : random() < 0.15 ? 0.05 : 0;
    // Unit prices vary a little by deal, so Sales has many distinct values, as real data does.
    const unitPrice = Math.round(product.price * (0.94 + random() * 0.12) * 100) / 100;
    const sales = Math.round(quantity * unitPrice * (1 - discount) * 100) / 100;
    rows[i] = {
      OrderID: orderId,
      Date: day.date,
      Year: day.year,
      Month: day.monthDual,
      YearMonth: day.yearMonth,
      Customer: customer.name,
      Region: customer.region,
      Country: customer.country,
      Category: product.category,
      Product: product.product,
      Quantity: quantity,
      Sales: sales,
    };
  }
  return rows;
}
