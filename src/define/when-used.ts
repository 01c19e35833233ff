/**
 * Loads the code for `tags` once the document contains one of them, now or later: how the CDN
 * script registers `<qlik-object>` and `<qlik-dashboard>` without making sign-in-only pages
 * download the engine client and the charts. An element in the page before its class arrives
 * is upgraded when the tag is defined.
 */
export function loadWhenUsed(tags: readonly string[], load: () => Promise<unknown>): void {
  if (typeof document === 'undefined' || typeof MutationObserver === 'undefined') return;
  const selector = tags.join(',');
  const start = (): void => {
    observer.disconnect();
    load().catch((error: unknown) => {
      console.error(
        `embed-kit could not load the code for <${tags.join('>, <')}> (${String(error)}). It loads from the files next to embed-kit.js: host the whole folder, not only that file.`,
      );
    });
  };
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node instanceof Element && (node.matches(selector) || node.querySelector(selector))) {
          start();
          return;
        }
      }
    }
  });
  if (document.querySelector(selector)) start();
  else observer.observe(document, { childList: true, subtree: true });
}
