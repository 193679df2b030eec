import { type Locale, makeTranslator, type TranslationTable, type Translator } from "@billetix/web-contract";

/** Every string of the scanner, French first, English beside it. */
const STRINGS = {
  appName: ["Billetix Scanner", "Billetix Scanner"],
  /** After a label: French puts a space before the colon. */
  colon: [" :", ":"],
  loading: ["Chargement…", "Loading…"],
  // login and session
  loginTitle: ["Connexion", "Sign in"],
  username: ["Identifiant", "Login"],
  password: ["Mot de passe", "Password"],
  signIn: ["Se connecter", "Sign in"],
  signingIn: ["Connexion…", "Signing in…"],
  badCredentials: ["Identifiant ou mot de passe incorrect.", "Wrong login or password."],
  networkError: [
    "Le serveur ne répond pas. Vérifiez votre connexion et réessayez.",
    "The server does not answer. Check your connection and try again.",
  ],
  unknownError: ["Une erreur inattendue est survenue.", "An unexpected error occurred."],
  backToScanner: ["Retour au scanner (hors connexion)", "Back to the scanner (offline)"],
  logout: ["Se déconnecter", "Sign out"],
  logoutPending: [
    "{count} scan(s) attendent l'envoi : ils partiront après la prochaine connexion.",
    "{count} scan(s) are waiting: they will go up after the next sign-in.",
  ],
  firstStartNeedsNetwork: [
    "Le scanner a besoin du réseau pour sa première connexion sur cet appareil.",
    "The scanner needs the network for its first sign-in on this device.",
  ],
  retry: ["Réessayer", "Retry"],
  language: ["Langue", "Language"],
  switchTo: ["English", "Français"],
  storageFailed: [
    "Le stockage de l'appareil est indisponible : le scanner ne peut pas fonctionner ({message}).",
    "The device's storage is unavailable: the scanner cannot work ({message}).",
  ],
  // institutions
  chooseInstitution: ["Choisir une institution", "Choose an institution"],
  changeInstitution: ["Changer d'institution", "Change institution"],
  lastUsed: ["dernière utilisée", "last used"],
  noScannerInstitution: [
    "Ce login ne peut scanner dans aucune institution.",
    "This login may not scan in any institution.",
  ],
  institution: ["Institution", "Institution"],
  // device
  deviceTitle: ["Nommer ce terminal", "Name this device"],
  deviceHelp: [
    "Le nom qui désignera cet appareil dans les rapports : « Porte A », « Tablette 3 ».",
    "The name this device goes by in the reports: “Door A”, “Tablet 3”.",
  ],
  deviceName: ["Nom du terminal", "Device name"],
  deviceSave: ["Enregistrer", "Save"],
  deviceNameInvalid: [
    "Le nom du terminal doit contenir de 1 à 80 caractères.",
    "The device name must have 1 to 80 characters.",
  ],
  device: ["Terminal", "Device"],
  rename: ["Renommer", "Rename"],
  cancel: ["Annuler", "Cancel"],
  deviceNotRegistered: [
    "Terminal pas encore enregistré sur le serveur : il le sera dès le retour du réseau.",
    "Device not registered on the server yet: it will be as soon as the network is back.",
  ],
  clockWarning: ["Votre terminal doit être à l'heure", "Your device must be on time"],
  clockAhead: ["en avance de {skew}", "{skew} ahead"],
  clockBehind: ["en retard de {skew}", "{skew} behind"],
  // banner
  online: ["Connecté", "Online"],
  degraded: [
    "Mode dégradé : les scans sont enregistrés sur l'appareil",
    "Degraded mode: scans are kept on the device",
  ],
  pending: ["en attente d'envoi", "waiting to upload"],
  sessionExpired: ["Session expirée : reconnectez-vous", "Session expired: sign in again"],
  reconnect: ["Se reconnecter", "Sign in again"],
  syncNow: ["Synchroniser", "Sync now"],
  lastUpload: ["Dernier envoi : {time}", "Last upload: {time}"],
  // tabs
  tabScan: ["Scanner", "Scanner"],
  tabImport: ["Importer", "Import"],
  tabControl: ["Contrôle", "Control"],
  tabs: ["Écrans du scanner", "Scanner screens"],
  // import
  importTitle: ["Importer des représentations", "Import performances"],
  importAdvice: [
    "Importez au moins 24 h avant le contrôle : le terminal pourra alors contrôler même sans réseau.",
    "Import at least 24 h before the control: the device can then check tickets without a network.",
  ],
  importNeedsNetwork: [
    "L'importation a besoin du réseau : reconnectez ce terminal pour importer.",
    "Importing needs the network: reconnect this device to import.",
  ],
  available: ["Représentations à contrôler", "Performances to control"],
  noAvailable: [
    "Aucune représentation n'est soumise au contrôle dans cette institution.",
    "No performance is submitted to control in this institution.",
  ],
  importAction: ["Importer", "Import"],
  updateAction: ["Mettre à jour", "Update"],
  tickets: ["{count} billets", "{count} tickets"],
  importing: ["Importation de {name}", "Importing {name}"],
  progressOf: ["{done} / {total} billets", "{done} / {total} tickets"],
  progressCount: ["{done} billets", "{done} tickets"],
  imported: ["Représentations importées", "Imported performances"],
  noImported: ["Aucune représentation importée sur ce terminal.", "No performance imported on this device."],
  lastSync: ["Dernière synchro", "Last sync"],
  remove: ["Retirer", "Remove"],
  removeConfirm: ["Oui, retirer", "Yes, remove"],
  removeQuestion: ["Retirer « {name} » de ce terminal ?", "Remove “{name}” from this device?"],
  importDone: ["{name} : {count} billets importés.", "{name}: {count} tickets imported."],
  startsSoon: [
    "Commence dans moins de 24 h : importez-la maintenant.",
    "Starts in less than 24 h: import it now.",
  ],
  alreadyImported: ["importée", "imported"],
  // control
  controlTitle: ["Représentations à contrôler", "Performances to control"],
  controlHelp: [
    "Cochez les représentations dont ce terminal contrôle les billets.",
    "Tick the performances whose tickets this device checks.",
  ],
  controlAction: ["Contrôler", "Control"],
  controlNothingImported: ["Importez d'abord une représentation.", "Import a performance first."],
  goImport: ["Aller à l'importation", "Go to import"],
  controlSaved: ["Contrôle mis à jour.", "Control updated."],
  // scan
  scanTitle: ["Scanner", "Scanner"],
  nothingControlled: [
    "Aucune représentation contrôlée : choisissez-en une dans « Contrôle ».",
    "No performance under control: choose one in “Control”.",
  ],
  controlling: ["Contrôle de", "Checking"],
  ticketNumber: ["Numéro du billet", "Ticket number"],
  validate: ["Valider", "Check"],
  admitted: ["entrés", "admitted"],
  inside: ["à l'intérieur", "inside"],
  ofTickets: ["sur {count} billets", "of {count} tickets"],
  directionIn: ["Entrée", "Entry"],
  directionOut: ["Sortie", "Exit"],
  direction: ["Sens", "Direction"],
  ready: ["Prêt à scanner", "Ready to scan"],
  readyHelp: [
    "Présentez un billet au lecteur, à la caméra, ou saisissez son numéro.",
    "Present a ticket to the reader or the camera, or type its number.",
  ],
  repeated: ["(déjà lu)", "(already read)"],
  holder: ["Titulaire", "Holder"],
  category: ["Catégorie", "Category"],
  camera: ["Caméra", "Camera"],
  torch: ["Lampe", "Torch"],
  cameraDenied: ["Accès à la caméra refusé.", "Camera access denied."],
  cameraMissing: ["Aucune caméra trouvée.", "No camera found."],
  cameraInsecure: [
    "La caméra demande une connexion sécurisée (HTTPS).",
    "The camera needs a secure connection (HTTPS).",
  ],
  cameraFailed: ["Caméra indisponible : {message}", "Camera unavailable: {message}"],
  sound: ["Son activé", "Sound on"],
  muted: ["Son coupé", "Sound off"],
  conflicts: ["Conflits signalés par le serveur", "Conflicts reported by the server"],
  conflictsHelp: [
    "Le serveur a jugé ces scans autrement que ce terminal, par exemple un billet entré par une autre porte pendant le mode dégradé. Sa décision est affichée.",
    "The server decided these scans otherwise than this device, e.g. a ticket that came in through another door while offline. Its decision is shown.",
  ],
  conflictsBadge: ["{count} conflit(s)", "{count} conflict(s)"],
  dismiss: ["Vu", "Dismiss"],
  rejectedTitle: ["Scans refusés par le serveur", "Scans refused by the server"],
  rejectedHelp: [
    "Ils restent sur ce terminal. Renvoyez-les quand le problème est réglé (droits du login, représentation).",
    "They stay on this device. Send them again once the problem is solved (login's rights, performance).",
  ],
  resend: ["Renvoyer", "Send again"],
  tapToClose: ["Touchez pour fermer", "Tap to close"],
  // service worker
  updateAvailable: ["Nouvelle version disponible", "New version available"],
  updateNow: ["Mettre à jour", "Update"],
} as const satisfies TranslationTable;

export type MessageKey = keyof typeof STRINGS;
export type Translate = Translator<MessageKey>;

/** The translator for a locale; `{name}` placeholders are filled from `values`. */
export const translator = (locale: Locale): Translate => makeTranslator(STRINGS, locale);

const FORMATS = { fr: "fr-FR", en: "en-GB" } as const;

/** A date and time in the device's own time zone: the device stands at the venue. */
export function formatDateTime(epochMs: number | null | undefined, locale: Locale): string {
  if (epochMs === null || epochMs === undefined) return "";
  return new Intl.DateTimeFormat(FORMATS[locale], { dateStyle: "short", timeStyle: "short" }).format(
    new Date(epochMs),
  );
}

/** The time alone for today, the date and time otherwise. */
export function formatWhen(epochMs: number | null | undefined, locale: Locale, now = Date.now()): string {
  if (epochMs === null || epochMs === undefined) return "";
  const sameDay = new Date(epochMs).toDateString() === new Date(now).toDateString();
  if (!sameDay) return formatDateTime(epochMs, locale);
  return new Intl.DateTimeFormat(FORMATS[locale], { timeStyle: "medium" }).format(new Date(epochMs));
}

/** « 3 min 5 s », « 12 s », « 2 h 4 min »: a clock skew as people read it. */
export function formatSkew(ms: number, locale: Locale): string {
  const seconds = Math.round(Math.abs(ms) / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.round(hours / 24)} ${locale === "en" ? "d" : "j"}`;
}
