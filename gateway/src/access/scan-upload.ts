import { badInput } from "../common/domain-error";

export const MAX_SCANS_PER_BATCH = 500;

/** One scan as the device made it, once checked. */
export interface ScanUpload {
  /** Made on the device: a retried upload never counts twice. */
  clientScanId: string;
  performanceId: string;
  barcode: string;
  direction: "in" | "out";
  /** The device's clock at the scan. */
  scannedAt: Date;
  /** The device's IANA time zone: what "today" means for daily limits. */
  timeZone: string;
  /** The verdict the device showed (offline decisions); absent for online checks. */
  deviceAccepted?: boolean | null;
}

const SCAN_ID = /^[A-Za-z0-9_:.-]{8,64}$/;
const OBJECT_ID = /^[0-9a-fA-F]{24}$/;

/**
 * Checks a batch as it came over the wire (GraphQL or the JSON route) and returns it typed, or
 * throws a French error naming the first field at fault (`scans.3.barcode`). One check for both
 * ways in, in the service: nothing half-checked reaches the database.
 */
export function checkScanUploads(uploads: unknown): ScanUpload[] {
  if (!Array.isArray(uploads) || uploads.length === 0) throw badInput("scans", "Le lot de scans est vide.");
  if (uploads.length > MAX_SCANS_PER_BATCH) {
    throw badInput("scans", `Un lot contient au plus ${MAX_SCANS_PER_BATCH} scans.`);
  }
  const seen = new Set<string>();
  return uploads.map((raw, i) => {
    const scan = checkScanUpload(raw, `scans.${i}`);
    if (seen.has(scan.clientScanId))
      throw badInput(`scans.${i}.clientScanId`, "Le même scan figure deux fois dans le lot.");
    seen.add(scan.clientScanId);
    return scan;
  });
}

function checkScanUpload(raw: unknown, at: string): ScanUpload {
  if (typeof raw !== "object" || raw === null) throw badInput(at, "Ce scan n'est pas un objet.");
  const s = raw as Record<string, unknown>;
  if (typeof s.clientScanId !== "string" || !SCAN_ID.test(s.clientScanId)) {
    throw badInput(`${at}.clientScanId`, "L'identifiant du scan doit contenir de 8 à 64 caractères simples.");
  }
  if (typeof s.performanceId !== "string" || !OBJECT_ID.test(s.performanceId)) {
    throw badInput(`${at}.performanceId`, "Représentation inconnue.");
  }
  if (typeof s.barcode !== "string" || s.barcode.length < 1 || s.barcode.length > 128) {
    throw badInput(`${at}.barcode`, "Le numéro de billet doit contenir de 1 à 128 caractères.");
  }
  if (s.direction !== "in" && s.direction !== "out") {
    throw badInput(`${at}.direction`, "Le sens doit être « in » ou « out ».");
  }
  const scannedAt = instant(s.scannedAt);
  if (!scannedAt) throw badInput(`${at}.scannedAt`, "L'heure du scan est invalide.");
  if (typeof s.timeZone !== "string" || s.timeZone.length < 1 || s.timeZone.length > 64) {
    throw badInput(`${at}.timeZone`, "Fuseau horaire invalide.");
  }
  if (s.deviceAccepted !== undefined && s.deviceAccepted !== null && typeof s.deviceAccepted !== "boolean") {
    throw badInput(`${at}.deviceAccepted`, "Le verdict du terminal doit être vrai ou faux.");
  }
  return {
    clientScanId: s.clientScanId,
    performanceId: s.performanceId,
    barcode: s.barcode,
    direction: s.direction,
    scannedAt,
    timeZone: s.timeZone,
    deviceAccepted: s.deviceAccepted ?? null,
  };
}

/** A Date from a Date (GraphQL), an ISO 8601 string or epoch milliseconds (JSON); else undefined. */
function instant(value: unknown): Date | undefined {
  const date =
    value instanceof Date
      ? value
      : typeof value === "number" || (typeof value === "string" && /^\d{4}-\d\d-\d\dT/.test(value))
        ? new Date(value)
        : undefined;
  return date && !Number.isNaN(date.getTime()) ? date : undefined;
}
