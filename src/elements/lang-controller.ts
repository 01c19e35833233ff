import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { formatString, loadStrings, onStringsChanged, stringsFor, type KitStringKey, type KitStrings } from '../qlik/i18n.ts';

/** The `lang` of the element or its nearest ancestor, looking through shadow roots (a dashboard's cells). */
function effectiveLang(element: Element): string {
  let node: Element | null = element;
  while (node) {
    const found: Element | null = node.closest('[lang]');
    if (found) return found.getAttribute('lang') ?? '';
    const root = node.getRootNode();
    node = root instanceof ShadowRoot ? root.host : null;
  }
  return '';
}

/**
 * Picks the element's UI language from `lang` (its own or the nearest ancestor's), loads that
 * dictionary on first use, and renders again when it arrives, when `lang` changes, or when the
 * page registers strings.
 */
export class LangController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  #lang = '';
  #off: (() => void) | undefined;
  #observer: MutationObserver | undefined;

  constructor(host: ReactiveControllerHost & HTMLElement) {
    this.#host = host;
    host.addController(this);
  }

  /** The language in use (`''`: English). */
  get lang(): string {
    return this.#lang;
  }

  /** Every UI string in the element's language. */
  get strings(): KitStrings {
    return stringsFor(this.#lang);
  }

  /** A UI string in the element's language, with `{name}` placeholders filled. */
  t(key: KitStringKey, params?: Readonly<Record<string, string>>): string {
    return formatString(stringsFor(this.#lang)[key], params);
  }

  hostConnected(): void {
    this.#off ??= onStringsChanged(() => this.#host.requestUpdate());
    this.#observer ??= new MutationObserver(() => this.#resolve());
    this.#observer.observe(this.#host, { attributes: true, attributeFilter: ['lang'] });
    this.#observer.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
    this.#resolve();
  }

  hostDisconnected(): void {
    this.#off?.();
    this.#off = undefined;
    this.#observer?.disconnect();
  }

  #resolve(): void {
    const lang = effectiveLang(this.#host);
    if (lang === this.#lang) return;
    this.#lang = lang;
    this.#host.requestUpdate();
    // A language without a bundled dictionary stays English (or the page's registered strings).
    void loadStrings(lang).then(
      () => this.#host.requestUpdate(),
      () => undefined,
    );
  }
}
