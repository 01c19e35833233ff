/**
 * The page the embed-API journeys drive (test/journeys/embed-api*.test.ts). The journey sets
 * `window.__DRIVE__` with an init script; this configures `<auth-login>`, optionally replaces the
 * stage's markup, records every qlik-* event with its detail, then defines the elements.
 */
interface DriveConfig {
  auth: Record<string, string>;
  /** Replaces #stage's markup before the elements are defined. */
  markup?: string;
  /** Cancel every qlik-data-point-click. */
  cancelDataPointClicks?: boolean;
  /** `lang` for the document. */
  lang?: string;
}

export interface DriveEvent {
  type: string;
  target: string;
  objectId?: string;
  renderedType?: string;
  durationMs?: number;
  error?: string;
  field?: string;
  value?: string;
  measureValues?: { measure: string; text: string; number: number }[];
  bookmarkId?: string;
  name?: string;
  text?: string;
  number?: number;
}

const win = window as unknown as { __DRIVE__?: DriveConfig; __drive: { events: DriveEvent[] } };
const config: DriveConfig = win.__DRIVE__ ?? { auth: {} };
win.__drive = { events: [] };

const login = document.getElementById('login') as HTMLElement;
for (const [name, value] of Object.entries(config.auth)) login.setAttribute(name, value);
if (config.lang) document.documentElement.lang = config.lang;
if (config.markup !== undefined) (document.getElementById('stage') as HTMLElement).innerHTML = config.markup;

type Detailed = Event & {
  detail?: { objectId?: string; type?: string; durationMs?: number; error?: { code: string }; field?: string; value?: string; measureValues?: DriveEvent['measureValues'] };
  error?: { code: string };
  bookmarkId?: string;
  name?: string;
  text?: string;
  number?: number;
};
const types = ['qlik-rendered', 'qlik-data-point-click', 'qlik-bookmark-applied', 'qlik-variable-changed', 'qlik-error', 'qlik-selection-changed', 'qlik-session-open'];
for (const type of types) {
  document.addEventListener(type, (event) => {
    const e = event as Detailed;
    const record: DriveEvent = { type, target: (event.composedPath()[0] as Element).localName };
    if (type === 'qlik-rendered') Object.assign(record, { objectId: e.detail?.objectId, renderedType: e.detail?.type, durationMs: e.detail?.durationMs, error: e.detail?.error?.code });
    if (type === 'qlik-data-point-click') {
      Object.assign(record, { objectId: e.detail?.objectId, field: e.detail?.field, value: e.detail?.value, measureValues: e.detail?.measureValues });
      if (config.cancelDataPointClicks) event.preventDefault();
    }
    if (type === 'qlik-bookmark-applied') record.bookmarkId = e.bookmarkId;
    if (type === 'qlik-variable-changed') Object.assign(record, { name: e.name, text: e.text, number: e.number });
    if (type === 'qlik-error') record.error = e.error?.code;
    win.__drive.events.push(record);
  });
}

await import('../../../src/define.ts');
