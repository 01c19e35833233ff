/**
 * The kit's UI strings by language. English is built in; German, French, Spanish and Swedish
 * load on first use, each in its own small chunk; pages add or override strings (and whole
 * languages) with `registerStrings`. Only the kit's own words are translated: numbers and
 * dates keep the formats the app gives them.
 */
import { en, type KitStrings } from './strings/en.ts';

export type { KitStrings };
export type KitStringKey = keyof KitStrings;

const bundled: Readonly<Record<string, () => Promise<{ strings: KitStrings }>>> = {
  de: () => import('./strings/de.ts'),
  fr: () => import('./strings/fr.ts'),
  es: () => import('./strings/es.ts'),
  sv: () => import('./strings/sv.ts'),
};

/** The languages the kit ships dictionaries for. */
export const BUNDLED_LANGUAGES: readonly string[] = ['en', ...Object.keys(bundled)];

const loaded = new Map<string, KitStrings>([['en', en]]);
const loading = new Map<string, Promise<void>>();
const registered = new Map<string, Partial<KitStrings>>();
const listeners = new Set<() => void>();

/** `de-CH` → `['de-ch', 'de']`. */
function candidates(lang: string): string[] {
  const tag = lang.trim().toLowerCase();
  const base = tag.split('-')[0] ?? '';
  return tag && base !== tag ? [tag, base] : tag ? [tag] : [];
}

/**
 * The strings for `lang` that are available now: English, overlaid by the bundled dictionary
 * (once loaded) and by strings the page registered, for the base language then the full tag.
 */
export function stringsFor(lang: string | undefined): KitStrings {
  const layers = candidates(lang ?? '').reverse();
  let out: KitStrings = en;
  for (const tag of layers) {
    const dictionary = loaded.get(tag);
    const page = registered.get(tag);
    if (dictionary || page) out = { ...out, ...dictionary, ...page };
  }
  return out;
}

/** Loads the bundled dictionary for `lang` (if the kit has one); resolves when `stringsFor` has it. */
export function loadStrings(lang: string | undefined): Promise<KitStrings> {
  const tags = candidates(lang ?? '');
  const pending = tags.flatMap((tag) => {
    const load = Object.hasOwn(bundled, tag) ? bundled[tag] : undefined;
    if (!load || loaded.has(tag)) return [];
    let promise = loading.get(tag);
    if (!promise) {
      promise = load()
        .then((module) => {
          loaded.set(tag, module.strings);
          notify();
        })
        .finally(() => loading.delete(tag));
      loading.set(tag, promise);
    }
    return [promise];
  });
  return Promise.all(pending).then(() => stringsFor(lang));
}

/**
 * Adds or overrides UI strings for a language (`'de'`, `'nl'`, `'de-CH'`); elements showing that
 * language update. Strings are plain text.
 */
export function registerStrings(lang: string, strings: Partial<KitStrings>): void {
  const [tag] = candidates(lang);
  if (!tag) throw new TypeError('registerStrings needs a language tag, e.g. "de" or "pt-BR".');
  registered.set(tag, { ...registered.get(tag), ...strings });
  notify();
}

/** Calls `listener` whenever a dictionary loads or a page registers strings; returns the unsubscribe. */
export function onStringsChanged(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function notify(): void {
  for (const listener of [...listeners]) listener();
}

/** Fills `{name}` placeholders. */
export function formatString(template: string, params: Readonly<Record<string, string>> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(params, name) ? (params[name] as string) : whole));
}
