import type { KitStrings } from './en.ts';

export const strings: KitStrings = {
  connecting: 'Connexion…',
  loading: 'Chargement…',
  reconnecting: 'Connexion perdue. Reconnexion…',
  disconnected: 'Déconnecté.',
  retry: 'Réessayer',
  reconnect: 'Se reconnecter',
  signIn: 'Connectez-vous pour voir ce contenu.',
  noSignIn: 'Aucune connexion trouvée : ajoutez un <auth-login> à la page, ou définissez auth="<id de la connexion>".',
  sheet: 'Feuille',
  currentSelections: 'Sélections actuelles',
  noSelections: 'Aucune sélection',
  clearAll: 'Tout effacer',
  clearField: 'Effacer {field}',
  menu: "Plus d'actions",
  exportCsv: 'Télécharger les données (CSV)',
  exportXlsx: 'Télécharger les données (Excel)',
  exportImage: "Télécharger l'image (PNG)",
};
