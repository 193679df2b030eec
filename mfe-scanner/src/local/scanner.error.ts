import type { Locale } from "@billetix/access-rules";

/**
 * Why the engine said no. `REFUSED` carries the server's own French message; every other code has
 * its message here, in French and English.
 */
export type ScannerErrorCode =
  /** The server could not be reached (no network, DNS, timeout). */
  | "NETWORK"
  /** A download was cut mid-way: nothing of it was kept (first import) or it resumes next time. */
  | "INTERRUPTED"
  /** 401: the operator must log in again. */
  | "SESSION_ENDED"
  /** The server answered with an error (403, 404, 500…): `message` is its own. */
  | "REFUSED"
  /** The server answered something that is not the expected format. */
  | "BAD_RESPONSE"
  /** The caller's AbortSignal fired. */
  | "ABORTED"
  | "NOTHING_CONTROLLED"
  | "NOT_IMPORTED"
  | "EMPTY_BARCODE"
  | "BARCODE_TOO_LONG"
  | "BAD_DIRECTION"
  /** The browser's storage quota is reached. */
  | "STORAGE_FULL"
  | "CLOSED";

/** Texts of the engine itself (errors and the sync banner's `lastError`). */
const TEXTS = {
  fr: {
    NETWORK: "Connexion au serveur impossible : importez quand le réseau revient",
    INTERRUPTED: "Import interrompu : la connexion a été coupée. Réessayez quand le réseau revient.",
    SESSION_ENDED: "Session expirée : reconnectez-vous",
    REFUSED: "Le serveur a refusé la demande (HTTP {status}).",
    BAD_RESPONSE: "Réponse inattendue du serveur : réessayez ; si cela persiste, contactez le support.",
    ABORTED: "Import annulé.",
    NOTHING_CONTROLLED: "Aucune représentation contrôlée : choisissez-en une avant de scanner.",
    NOT_IMPORTED: "Représentation non importée sur ce terminal : importez-la d'abord.",
    EMPTY_BARCODE: "Aucun numéro de billet lu.",
    BARCODE_TOO_LONG: "Numéro de billet trop long (128 caractères au plus) : ce n'est pas un billet.",
    BAD_DIRECTION: "Le sens du passage doit être « entrée » ou « sortie ».",
    STORAGE_FULL:
      "Espace de stockage insuffisant sur ce terminal : retirez des représentations importées puis réessayez.",
    CLOSED: "Le scanner est fermé : rechargez la page.",
    SYNC_OFFLINE:
      "Connexion au serveur impossible : les scans sont gardés sur ce terminal et partiront au retour du réseau.",
    SHARED_BARCODE:
      "Le billet {barcode} est dans « {first} » et « {second} » : ces représentations ne peuvent pas être contrôlées ensemble.",
  },
  en: {
    NETWORK: "Cannot reach the server: import when the network is back",
    INTERRUPTED: "Import interrupted: the connection was lost. Try again when the network is back.",
    SESSION_ENDED: "Session expired: log in again",
    REFUSED: "The server refused the request (HTTP {status}).",
    BAD_RESPONSE: "Unexpected answer from the server: try again; if it persists, contact support.",
    ABORTED: "Import cancelled.",
    NOTHING_CONTROLLED: "No performance is controlled: choose one before scanning.",
    NOT_IMPORTED: "This performance is not imported on this device: import it first.",
    EMPTY_BARCODE: "No ticket number was read.",
    BARCODE_TOO_LONG: "Ticket number too long (128 characters at most): this is not a ticket.",
    BAD_DIRECTION: "The direction must be “in” or “out”.",
    STORAGE_FULL: "Not enough storage on this device: remove imported performances, then try again.",
    CLOSED: "The scanner is closed: reload the page.",
    SYNC_OFFLINE:
      "Cannot reach the server: scans are kept on this device and will be sent when the network is back.",
    SHARED_BARCODE:
      "Ticket {barcode} is in “{first}” and “{second}”: these performances cannot be controlled together.",
  },
} satisfies Record<Locale, Record<string, string>>;

export type TextId = keyof (typeof TEXTS)["fr"];

/** One of the engine's texts, `{name}` placeholders filled; an unknown locale falls back to French. */
export function engineText(
  id: TextId,
  locale: Locale = "fr",
  params: Record<string, string | number> = {},
): string {
  const template = (TEXTS[locale] ?? TEXTS.fr)[id];
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? ""));
}

/**
 * The engine's error: a code to branch on, a message to show as is.
 *
 * @example
 * try { await engine.importPerformance(meta); }
 * catch (e) { if (e instanceof ScannerError && e.code === "SESSION_ENDED") goToLogin(); else show(e.message); }
 */
export class ScannerError extends Error {
  constructor(
    readonly code: ScannerErrorCode,
    message: string,
    /** The HTTP status, when the server answered. */
    readonly status?: number,
    /** The input the server named (`scans.3.barcode`), when it did. */
    readonly field?: string,
  ) {
    super(message);
    this.name = "ScannerError";
  }

  /** An error whose message is the engine's own text for `code`. */
  static of(code: Exclude<ScannerErrorCode, "REFUSED">, locale: Locale = "fr"): ScannerError {
    return new ScannerError(code, engineText(code, locale));
  }
}
