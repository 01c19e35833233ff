import type { KitStrings } from './en.ts';

export const strings: KitStrings = {
  connecting: 'Conectando…',
  loading: 'Cargando…',
  reconnecting: 'Conexión perdida. Reconectando…',
  disconnected: 'Desconectado.',
  retry: 'Reintentar',
  reconnect: 'Reconectar',
  signIn: 'Inicie sesión para ver este contenido.',
  noSignIn: 'No se encontró un inicio de sesión: añada un <auth-login> a la página o defina auth="<id del inicio de sesión>".',
  sheet: 'Hoja',
  currentSelections: 'Selecciones actuales',
  noSelections: 'Sin selecciones',
  clearAll: 'Borrar todo',
  clearField: 'Borrar {field}',
  menu: 'Más acciones',
  exportCsv: 'Descargar datos (CSV)',
  exportXlsx: 'Descargar datos (Excel)',
  exportImage: 'Descargar imagen (PNG)',
};
