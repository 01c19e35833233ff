import type { KitStrings } from './en.ts';

export const strings: KitStrings = {
  connecting: 'Ansluter…',
  loading: 'Läser in…',
  reconnecting: 'Anslutningen bröts. Ansluter igen…',
  disconnected: 'Frånkopplad.',
  retry: 'Försök igen',
  reconnect: 'Anslut igen',
  signIn: 'Logga in för att se innehållet.',
  noSignIn: 'Ingen inloggning hittades: lägg till en <auth-login> på sidan, eller ange auth="<inloggningens id>".',
  sheet: 'Ark',
  currentSelections: 'Aktuella urval',
  noSelections: 'Inga urval',
  clearAll: 'Rensa alla',
  clearField: 'Rensa {field}',
  menu: 'Fler åtgärder',
  exportCsv: 'Ladda ned data (CSV)',
  exportXlsx: 'Ladda ned data (Excel)',
  exportImage: 'Ladda ned bild (PNG)',
};
