/**
 * Europe/Paris wall-clock time ↔ instants. French partners often write dates without an offset
 * ("2025-10-25 20:30:00"), while the contract wants ISO 8601 with one (`CatalogDate.startsAt`).
 * The offsets come from the tz database (through Intl), remembered per UTC hour: Paris changes
 * its offset on whole hours, and a simulator formats thousands of dates a page.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

const parisParts = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/Paris",
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

const offsets = new Map<number, number>();

/**
 * Paris's offset from UTC at an instant, in minutes: 60 in winter, 120 in summer.
 *
 * @example
 * parisOffsetMinutes(Date.UTC(2026, 6, 14)); // 120
 */
export function parisOffsetMinutes(utcMs: number): number {
  const hour = Math.floor(utcMs / HOUR_MS);
  let offset = offsets.get(hour);
  if (offset === undefined) {
    const parts: Record<string, number> = {};
    for (const { type, value } of parisParts.formatToParts(hour * HOUR_MS)) parts[type] = Number(value);
    const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
    offset = Math.round((wall - hour * HOUR_MS) / 60_000);
    if (offsets.size >= 100_000) offsets.clear();
    offsets.set(hour, offset);
  }
  return offset;
}

/**
 * The instant (UTC milliseconds) of a Paris wall-clock time, or undefined when it is not a real
 * calendar date and time (`month` is 1-based). When clocks go back, the hour that happens twice
 * is taken at its first occurrence (summer time): as a sync cursor it re-reads an hour at worst,
 * never skips one. A time that never happens because clocks went forward is moved forward by
 * the gap (02:30 becomes 03:30 summer time).
 *
 * @example
 * parisWallTimeToUtc(2027, 3, 22, 20, 0); // Date.UTC(2027, 2, 22, 19, 0)
 * parisWallTimeToUtc(2026, 2, 30, 20, 0); // undefined
 */
export function parisWallTimeToUtc(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second = 0,
): number | undefined {
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(wall);
  // Date.UTC rolls 2025-02-30 over to March, and reads years 0-99 as 19xx: refuse rather than
  // give the wrong day.
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  )
    return undefined;
  // The offsets a day before and after cover both sides of any change on that day.
  const candidates = [...new Set([parisOffsetMinutes(wall - DAY_MS), parisOffsetMinutes(wall + DAY_MS)])];
  const fitting = candidates.filter((offset) => parisOffsetMinutes(wall - offset * 60_000) === offset);
  // Several fit: the repeated hour, take the earlier instant (larger offset). None: the skipped
  // hour, read with the offset before the change (the smaller one), which lands after the gap.
  const offset = fitting.length > 0 ? Math.max(...fitting) : Math.min(...candidates);
  return wall - offset * 60_000;
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * Reads Paris wall-clock time without offset, `YYYY-MM-DD HH:MM[:SS]` or with a `T`, around
 * which blanks are ignored. Undefined for anything else or a date that does not exist; the
 * changes of time are read as {@link parisWallTimeToUtc} does.
 *
 * @example
 * parseParisTime("2026-07-14 22:30:00")?.toISOString(); // "2026-07-14T20:30:00.000Z"
 */
export function parseParisTime(local: string): Date | undefined {
  const m = LOCAL.exec(local.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute, second = 0] = m
    .slice(1)
    .map((v) => (v === undefined ? 0 : Number(v)));
  const instant = parisWallTimeToUtc(year, month, day, hour, minute, second);
  return instant === undefined ? undefined : new Date(instant);
}

/**
 * An instant in ISO 8601 with the Paris offset in force then, without milliseconds unless asked.
 *
 * @example
 * formatParisIso(Date.UTC(2027, 2, 22, 19, 0)); // "2027-03-22T20:00:00+01:00"
 * formatParisIso(Date.UTC(2027, 2, 22, 19, 0), { milliseconds: true }); // "2027-03-22T20:00:00.000+01:00"
 */
export function formatParisIso(instant: Date | number, options: { milliseconds?: boolean } = {}): string {
  const ms = typeof instant === "number" ? instant : instant.getTime();
  const offset = parisOffsetMinutes(ms);
  const wall = new Date(ms + offset * 60_000).toISOString().slice(0, options.milliseconds ? 23 : 19);
  const abs = Math.abs(offset);
  const sign = offset < 0 ? "-" : "+";
  return `${wall}${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

/**
 * An instant as Paris wall-clock time without offset, `YYYY-MM-DD HH:MM:SS`.
 *
 * @example
 * formatParisLocal(new Date("2026-07-14T20:30:00Z")); // "2026-07-14 22:30:00"
 */
export function formatParisLocal(instant: Date | number): string {
  return formatParisIso(instant).slice(0, 19).replace("T", " ");
}

/**
 * Turns Paris wall-clock time without offset (`"2025-10-25T20:30:00"`, `"2025-10-25 20:30"`)
 * into ISO 8601 with the offset in force then (`"2025-10-25T20:30:00+02:00"`), or undefined
 * when it is not a local date and time. The hour that happens twice in autumn is its first
 * occurrence (+02:00); a time in the spring gap is moved forward (02:30 → 03:30+02:00).
 *
 * @example
 * parisToIso("2025-10-25T20:30:00"); // "2025-10-25T20:30:00+02:00"
 * parisToIso("2025-10-27 20:30"); // "2025-10-27T20:30:00+01:00"
 */
export function parisToIso(local: string): string | undefined {
  const instant = parseParisTime(local);
  return instant === undefined ? undefined : formatParisIso(instant);
}
