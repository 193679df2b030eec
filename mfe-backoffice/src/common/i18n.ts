import type { Locale } from "@billetix/web-contract";

/** Every string of the back office, French first, English beside it. */
const STRINGS = {
  performances: ["Représentations", "Performances"],
  sources: ["Sources", "Sources"],
  institution: ["Institution", "Institution"],
  venue: ["Lieu", "Venue"],
  event: ["Événement", "Event"],
  performance: ["Représentation", "Performance"],
  importEnd: ["Fin importation", "Import end"],
  gauge: ["Jauge", "Gauge"],
  counter: ["Compteur", "Counter"],
  pda: ["PDA", "PDA"],
  actions: ["Actions", "Actions"],
  search: ["Rechercher un événement", "Search an event"],
  from: ["Du", "From"],
  to: ["Au", "To"],
  control: ["Contrôle PDA", "Scanner control"],
  all: ["Toutes", "All"],
  allVenues: ["Tous les lieux", "All venues"],
  allEvents: ["Tous les événements", "All events"],
  controlled: ["Soumises au contrôle", "Controlled"],
  notControlled: ["Non soumises", "Not controlled"],
  archivedOnly: ["Archivées seulement", "Archived only"],
  includeBranch: ["Inclure les sous-institutions", "Include sub-institutions"],
  sortBy: ["Trier par", "Sort by"],
  sortStartsAt: ["Début", "Start"],
  sortEndsAt: ["Fin", "End"],
  sortImportEndsAt: ["Fin importation", "Import end"],
  sortCreatedAt: ["Création", "Creation"],
  order: ["Ordre", "Order"],
  ascending: ["Croissant", "Ascending"],
  descending: ["Décroissant", "Descending"],
  perPage: ["Par page", "Per page"],
  previous: ["Précédente", "Previous"],
  next: ["Suivante", "Next"],
  pageOf: [
    "Page {page} sur {pages} ({total} représentations)",
    "Page {page} of {pages} ({total} performances)",
  ],
  loading: ["Chargement…", "Loading…"],
  noPerformances: ["Aucune représentation.", "No performances."],
  sourcesOfPerformance: ["Sources de la représentation", "Sources of the performance"],
  reports: ["Rapports", "Reports"],
  controlOn: ["Représentation soumise au contrôle.", "Performance submitted to control."],
  controlOff: ["Représentation retirée du contrôle.", "Performance withdrawn from control."],
  pdaOf: ["Contrôle PDA de {name}", "Scanner control of {name}"],
  filterSet: ["Filtre de catégorie actif", "Category filter set"],
  apply: ["Appliquer", "Apply"],
  reset: ["Effacer", "Clear"],
  // sources
  sourcesTitle: ["Sources de {name}", "Sources of {name}"],
  noSources: ["Aucune source.", "No sources."],
  name: ["Nom", "Name"],
  type: ["Type", "Type"],
  kind: ["Genre", "Kind"],
  kindFile: ["Fichier", "File"],
  kindOnline: ["En ligne", "Online"],
  problems: ["Problèmes", "Problems"],
  addSource: ["Ajouter une source", "Add a source"],
  chooseType: ["Type de source", "Source type"],
  chooseTypePlaceholder: ["— Choisissez un type —", "— Choose a type —"],
  edit: ["Modifier", "Edit"],
  delete: ["Supprimer", "Delete"],
  save: ["Enregistrer", "Save"],
  cancel: ["Annuler", "Cancel"],
  create: ["Créer", "Create"],
  saved: ["Enregistré.", "Saved."],
  created: ["Source créée.", "Source created."],
  deleted: ["Source supprimée.", "Source deleted."],
  confirmDelete: [
    "Supprimer la source « {name} » ? Ses associations aux représentations et les billets qu'elle a importés seront supprimés.",
    "Delete the source “{name}”? Its links to performances and the tickets it imported will be deleted.",
  ],
  secretStored: ["(enregistré)", "(stored)"],
  secretKeep: ["Laisser vide pour garder la valeur enregistrée.", "Leave empty to keep the stored value."],
  yes: ["Oui", "Yes"],
  no: ["Non", "No"],
  syncSlow: ["Temps long (minutes entre deux synchronisations)", "Slow interval (minutes between syncs)"],
  syncFast: ["Temps court (minutes entre deux synchronisations)", "Fast interval (minutes between syncs)"],
  fastWindow: [
    "Début du temps court (heures avant la représentation)",
    "Fast window (hours before the performance)",
  ],
  syncHelp: [
    "Actualisation automatique : temps long loin de la représentation, temps court à son approche.",
    "Automatic updates: the slow interval far from the performance, the fast one close to it.",
  ],
  configOk: ["Paramétrage correct", "Configuration OK"],
  required: ["obligatoire", "required"],
  editSource: ["Modifier la source « {name} »", "Edit the source “{name}”"],
  newSource: ["Nouvelle source : {type}", "New source: {type}"],
  // performance sources
  back: ["Retour aux représentations", "Back to performances"],
  addPerfSource: ["Ajouter une source", "Add a source"],
  chooseSource: ["Source", "Source"],
  chooseSourcePlaceholder: ["— Choisissez une source —", "— Choose a source —"],
  noPerfSources: ["Aucune source sur cette représentation.", "No source on this performance."],
  params: ["Paramètres", "Parameters"],
  noParams: ["Cette source ne demande pas de paramètre.", "This source needs no parameters."],
  refresh: ["Actualiser", "Refresh"],
  refreshed: ["Actualisation lancée.", "Refresh started."],
  remove: ["Retirer", "Remove"],
  removed: ["Source retirée de la représentation.", "Source removed from the performance."],
  added: ["Source ajoutée à la représentation.", "Source added to the performance."],
  confirmRemove: [
    "Retirer la source « {name} » de la représentation ? Ses billets et les filtres de catégorie de la représentation seront supprimés.",
    "Remove the source “{name}” from the performance? Its tickets and the performance's category filters will be deleted.",
  ],
  lastSync: ["Dernier import", "Last import"],
  never: ["jamais", "never"],
  duration: ["Durée", "Duration"],
  ticketsRead: ["Billets lus", "Tickets read"],
  ticketsChanged: ["Billets créés ou modifiés", "Tickets created or changed"],
  lastError: ["Dernière erreur", "Last error"],
  nextSync: ["Prochaine synchronisation", "Next sync"],
  noNextSync: ["aucune (import terminé)", "none (import over)"],
  running: [
    "Import en cours depuis {since} : {records} billets lus",
    "Import running since {since}: {records} tickets read",
  ],
  importFile: ["Importer un fichier", "Import a file"],
  fileToImport: ["Fichier de billets (CSV ou Excel)", "Ticket file (CSV or Excel)"],
  upload: ["Envoyer", "Upload"],
  uploading: ["Envoi : {percent} %", "Uploading: {percent} %"],
  importing: ["Fichier envoyé, import en cours…", "File sent, importing…"],
  uploadDone: [
    "Import terminé : {records} lignes, {created} créés, {updated} modifiés, {unchanged} inchangés, {rejected} rejetés.",
    "Import done: {records} lines, {created} created, {updated} updated, {unchanged} unchanged, {rejected} rejected.",
  ],
  networkError: ["Le serveur est injoignable. Vérifiez la connexion.", "The server cannot be reached."],
  unknownError: ["Une erreur est survenue.", "Something went wrong."],
  notFound: ["Représentation introuvable.", "Performance not found."],
  undated: ["Non datée", "Undated"],
  categories: ["Filtres de catégorie", "Category filters"],
  categoriesHelp: [
    "Cochez les catégories à exclure : leurs billets seront refusés au contrôle (« billet filtré »).",
    "Tick the categories to exclude: their tickets are refused at the door.",
  ],
  noCategories: ["Aucune catégorie (pas encore de billets).", "No categories (no tickets yet)."],
  categoriesSaved: ["Filtres de catégorie enregistrés.", "Category filters saved."],
  catalogTitle: ["Ajouter des représentations automatiquement", "Add performances from a partner"],
  catalogNone: [
    "Aucune source de cette institution ne propose l'ajout automatique de représentations.",
    "No source of this institution offers performances to add.",
  ],
  catalogEmpty: ["Aucune date à ajouter.", "No dates to add."],
  catalogAdd: ["Ajouter ({count})", "Add ({count})"],
  catalogCreated: [
    "{count} représentation(s) créée(s) ; leurs billets sont en cours d'import.",
    "{count} performance(s) created; their tickets are being imported.",
  ],
  expand: ["déplier", "expand"],
  collapse: ["replier", "collapse"],
  institutions: ["Institutions", "Institutions"],
  createInstitution: ["Créer une institution", "Create an institution"],
  institutionCreated: ["Institution « {name} » créée.", "Institution “{name}” created."],
  owner: ["Institution propriétaire", "Owner institution"],
  rename: ["Renommer", "Rename"],
  newName: ["Nouveau nom", "New name"],
  masterHelp: [
    "Une institution principale (client) est créée avec son premier identifiant, qui en devient le master.",
    "A main (customer) institution comes with its first login, who becomes its master.",
  ],
  masterUsername: ["Identifiant du master", "Master's username"],
  masterPassword: [
    "Mot de passe du master (8 caractères au moins)",
    "Master's password (at least 8 characters)",
  ],
  masterDisplayName: ["Nom affiché du master", "Master's display name"],
  users: ["Utilisateurs", "Users"],
  usersTitle: ["Utilisateurs de {name}", "Users of {name}"],
  user: ["Utilisateur", "User"],
  rights: ["Droits", "Rights"],
  status: ["État", "Status"],
  flag_admin: ["Admin", "Admin"],
  flag_scanner: ["PDA", "Scanner"],
  flag_backoffice: ["Backoffice", "Back office"],
  disabled: ["Désactivé", "Disabled"],
  active: ["Actif", "Active"],
  newPassword: ["Nouveau mot de passe", "New password"],
  passwordSet: [
    "Mot de passe remplacé ; les sessions de cet utilisateur sont fermées.",
    "Password replaced; the user's sessions are closed.",
  ],
  disable: ["Désactiver", "Disable"],
  enable: ["Réactiver", "Enable"],
  disabledDone: ["Utilisateur désactivé.", "User disabled."],
  enabledDone: ["Utilisateur réactivé.", "User enabled."],
  removeMember: ["Retirer", "Remove"],
  confirmRemoveMember: [
    "Retirer {name} de l'institution ? L'identifiant est conservé.",
    "Remove {name} from the institution? The login is kept.",
  ],
  memberRemoved: ["Utilisateur retiré de l'institution.", "User removed from the institution."],
  memberAdded: ["Utilisateur ajouté.", "User added."],
  addExisting: ["Ajouter un utilisateur existant", "Add an existing user"],
  add: ["Ajouter", "Add"],
  createLogin: ["Créer un utilisateur", "Create a user"],
  loginCreated: ["Utilisateur « {name} » créé.", "User “{name}” created."],
  username: ["Identifiant", "Username"],
  password: ["Mot de passe (8 caractères au moins)", "Password (at least 8 characters)"],
  displayName: ["Nom affiché", "Display name"],
} as const satisfies Record<string, readonly [string, string]>;

export type MessageKey = keyof typeof STRINGS;
export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

/** The translator for a locale; `{name}` placeholders are filled from `values`. */
export function translator(locale: Locale): Translate {
  const index = locale === "en" ? 1 : 0;
  return (key, values) => {
    const text: string = STRINGS[key][index];
    return values ? text.replace(/\{(\w+)\}/g, (all, name: string) => String(values[name] ?? all)) : text;
  };
}

const FORMATS = { fr: "fr-FR", en: "en-GB" } as const;

/** A date and time as people read it in Paris, where the performances take place. */
export function formatDateTime(iso: string | null | undefined, locale: Locale): string {
  if (!iso) return "";
  return new Intl.DateTimeFormat(FORMATS[locale], {
    dateStyle: "short",
    timeStyle: "short",
    timeZone: "Europe/Paris",
  }).format(new Date(iso));
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "";
  if (ms < 1000) return `${ms} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}
