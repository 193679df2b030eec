/**
 * Every verdict code: the two plain passes (`ACCEPTED` an entry, `EXIT` an exit in inOut), then the
 * others in the order the rules are checked. `EXIT_WHILE_OUTSIDE` lets the person through but is an
 * anomaly; every other code after `EXIT` is a refusal.
 */
export const REASONS = [
  "ACCEPTED",
  "EXIT",
  "UNKNOWN_TICKET",
  "CANCELLED",
  "DUPLICATED",
  "OTHER_PERFORMANCE",
  "TOO_EARLY",
  "TOO_LATE",
  "FILTERED",
  "ALREADY_USED",
  "ALREADY_INSIDE",
  "EXIT_WHILE_OUTSIDE",
  "NO_PASSES_LEFT",
  "NO_PASSES_LEFT_TODAY",
] as const;

export type Reason = (typeof REASONS)[number];

/** The languages of the messages: French first (the users are French venues), English second. */
export const LOCALES = ["fr", "en"] as const;
export type Locale = (typeof LOCALES)[number];

const MESSAGES: Record<Locale, Record<Reason, string>> = {
  fr: {
    ACCEPTED: "Entrée autorisée",
    EXIT: "Sortie enregistrée",
    UNKNOWN_TICKET: "Billet inconnu",
    CANCELLED: "Billet annulé",
    DUPLICATED: "Billet dupliqué : un duplicata a été émis",
    OTHER_PERFORMANCE: "Billet d'une autre représentation",
    TOO_EARLY: "Trop tôt : billet pas encore valable",
    TOO_LATE: "Trop tard : billet plus valable",
    FILTERED: "Billet filtré",
    ALREADY_USED: "Billet déjà utilisé",
    ALREADY_INSIDE: "Billet déjà à l'intérieur",
    EXIT_WHILE_OUTSIDE: "Anomalie : sortie d'un billet qui n'est pas à l'intérieur",
    NO_PASSES_LEFT: "Plus aucun passage sur ce billet",
    NO_PASSES_LEFT_TODAY: "Plus de passage aujourd'hui sur ce billet",
  },
  en: {
    ACCEPTED: "Entry allowed",
    EXIT: "Exit recorded",
    UNKNOWN_TICKET: "Unknown ticket",
    CANCELLED: "Cancelled ticket",
    DUPLICATED: "Duplicated ticket: a replacement was issued",
    OTHER_PERFORMANCE: "Ticket for another performance",
    TOO_EARLY: "Too early: ticket not valid yet",
    TOO_LATE: "Too late: ticket no longer valid",
    FILTERED: "Filtered ticket",
    ALREADY_USED: "Ticket already used",
    ALREADY_INSIDE: "Ticket already inside",
    EXIT_WHILE_OUTSIDE: "Anomaly: exit of a ticket that is not inside",
    NO_PASSES_LEFT: "No passes left on this ticket",
    NO_PASSES_LEFT_TODAY: "No passes left today on this ticket",
  },
};

/**
 * The message a scanner shows for a verdict. French by default; an unknown locale (say a browser's
 * `navigator.language`) falls back to French.
 *
 * @example
 * reasonMessage("FILTERED"); // "Billet filtré"
 * reasonMessage("FILTERED", "en"); // "Filtered ticket"
 */
export function reasonMessage(reason: Reason, locale: Locale = "fr"): string {
  return (MESSAGES[locale] ?? MESSAGES.fr)[reason];
}
