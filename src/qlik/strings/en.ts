/** The kit's UI strings in English: the default, and the shape every dictionary fills. */
export const en = {
  connecting: 'Connecting…',
  loading: 'Loading…',
  reconnecting: 'Connection lost. Reconnecting…',
  disconnected: 'Disconnected.',
  retry: 'Retry',
  reconnect: 'Reconnect',
  signIn: 'Sign in to see this content.',
  noSignIn: 'No sign-in found: add an <auth-login> to the page, or set auth="<id of the login>".',
  sheet: 'Sheet',
  currentSelections: 'Current selections',
  noSelections: 'No selections',
  clearAll: 'Clear all',
  clearField: 'Clear {field}',
  menu: 'More actions',
  exportCsv: 'Download data (CSV)',
  exportXlsx: 'Download data (Excel)',
  exportImage: 'Download image (PNG)',
};

export type KitStrings = typeof en;
