import type { KitStrings } from './en.ts';

export const strings: KitStrings = {
  connecting: 'Verbinde…',
  loading: 'Lädt…',
  reconnecting: 'Verbindung unterbrochen. Verbinde erneut…',
  disconnected: 'Getrennt.',
  retry: 'Erneut versuchen',
  reconnect: 'Neu verbinden',
  signIn: 'Melden Sie sich an, um diesen Inhalt zu sehen.',
  noSignIn: 'Keine Anmeldung gefunden: Fügen Sie der Seite ein <auth-login> hinzu oder setzen Sie auth="<id der Anmeldung>".',
  sheet: 'Arbeitsblatt',
  currentSelections: 'Aktuelle Auswahl',
  noSelections: 'Keine Auswahl',
  clearAll: 'Alle löschen',
  clearField: '{field} löschen',
  menu: 'Weitere Aktionen',
  exportCsv: 'Daten herunterladen (CSV)',
  exportXlsx: 'Daten herunterladen (Excel)',
  exportImage: 'Bild herunterladen (PNG)',
};
