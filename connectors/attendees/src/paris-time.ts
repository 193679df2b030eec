/**
 * The partner speaks Europe/Paris wall-clock time as "YYYY-MM-DD HH:MM:SS", no offset. The
 * conversions are the SDK's; only this exact format is the partner's, so a date written any
 * other way is unreadable here.
 */
import { parisToIso, parseParisTime } from "@billetix/connector-sdk";

/** An instant as Paris wall-clock time, the partner's format: `"2026-07-14 22:30:00"`. */
export { formatParisLocal } from "@billetix/connector-sdk";

const PARTNER_FORMAT = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/**
 * Paris wall-clock time as an instant, or undefined when `text` is not "YYYY-MM-DD HH:MM:SS" or
 * not a real calendar date. In the autumn hour that happens twice, the earlier instant (summer
 * time) is taken: as a sync cursor it re-reads an hour at worst, never skips one. A time in the
 * spring gap is read with the winter offset (02:30 becomes 03:30 summer time).
 */
export function parseParisLocal(text: string): Date | undefined {
  return PARTNER_FORMAT.test(text) ? parseParisTime(text) : undefined;
}

/**
 * Paris wall-clock time as ISO 8601 with the offset in force then, or undefined when unreadable.
 *
 * @example parisLocalToIso("2026-01-20 20:00:00") // "2026-01-20T20:00:00+01:00"
 * @example parisLocalToIso("2026-07-14 20:00:00") // "2026-07-14T20:00:00+02:00"
 */
export function parisLocalToIso(text: string): string | undefined {
  return PARTNER_FORMAT.test(text) ? parisToIso(text) : undefined;
}
