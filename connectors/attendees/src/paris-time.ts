/**
 * The partner speaks Europe/Paris wall-clock time ("YYYY-MM-DD HH:MM:SS", no offset). The EU
 * summer-time rule (since 1996) is computed here rather than through Intl: it is the only rule
 * the partner follows, and formatting 1000 participants a page must stay cheap.
 */

const LOCAL = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const HOUR = 3_600_000;

/** The UTC instant (ms) of the last Sunday of `month` (0-based) at 01:00 UTC, when the EU clocks change. */
function lastSundayOneAmUtc(year: number, month: number): number {
  const lastDay = new Date(Date.UTC(year, month + 1, 0));
  return Date.UTC(year, month, lastDay.getUTCDate() - lastDay.getUTCDay(), 1);
}

/** Paris's offset from UTC at `utcMs`, in minutes: 120 in summer time, 60 otherwise. */
export function parisOffsetMinutes(utcMs: number): number {
  const year = new Date(utcMs).getUTCFullYear();
  return utcMs >= lastSundayOneAmUtc(year, 2) && utcMs < lastSundayOneAmUtc(year, 9) ? 120 : 60;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/**
 * An instant as Paris wall-clock time, the partner's format.
 *
 * @example formatParisLocal(new Date("2026-07-14T20:30:00Z")) // "2026-07-14 22:30:00"
 */
export function formatParisLocal(date: Date): string {
  const local = new Date(date.getTime() + parisOffsetMinutes(date.getTime()) * 60_000);
  return (
    `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())} ` +
    `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`
  );
}

/**
 * Paris wall-clock time as an instant, or undefined when `text` is not "YYYY-MM-DD HH:MM:SS" or
 * not a real calendar date. In the autumn hour that happens twice, the earlier instant (summer
 * time) is taken: as a sync cursor it re-reads an hour at worst, never skips one. A time in the
 * spring gap is read with the winter offset (02:30 becomes 03:30 summer time).
 */
export function parseParisLocal(text: string): Date | undefined {
  const m = LOCAL.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number);
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(asUtc);
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  )
    return undefined;
  const summer = asUtc - 2 * HOUR;
  if (parisOffsetMinutes(summer) === 120) return new Date(summer);
  return new Date(asUtc - HOUR);
}

/**
 * Paris wall-clock time as ISO 8601 with the offset in force then, or undefined when unreadable.
 *
 * @example parisLocalToIso("2026-01-20 20:00:00") // "2026-01-20T20:00:00+01:00"
 * @example parisLocalToIso("2026-07-14 20:00:00") // "2026-07-14T20:00:00+02:00"
 */
export function parisLocalToIso(text: string): string | undefined {
  const instant = parseParisLocal(text);
  if (!instant) return undefined;
  const offset = parisOffsetMinutes(instant.getTime());
  return `${formatParisLocal(instant).replace(" ", "T")}+${pad(offset / 60)}:00`;
}
