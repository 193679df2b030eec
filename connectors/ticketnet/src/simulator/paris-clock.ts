/**
 * Paris time for the simulator: the service writes every date in ISO 8601 with the Europe/Paris
 * offset in force at that instant (`+01:00` in winter, `+02:00` in summer).
 */

const HOUR_MS = 3_600_000;

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

// Offsets change on whole UTC hours, and Intl is slow: pages of 5000 tickets ask for few hours.
const offsets = new Map<number, number>();

/** Paris's offset from UTC at an instant, in minutes. */
export function parisOffsetMinutes(utcMs: number): number {
  const hour = Math.floor(utcMs / HOUR_MS);
  let offset = offsets.get(hour);
  if (offset === undefined) {
    const parts: Record<string, number> = {};
    for (const { type, value } of parisParts.formatToParts(hour * HOUR_MS)) parts[type] = Number(value);
    const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
    offset = Math.round((wall - hour * HOUR_MS) / 60_000);
    offsets.set(hour, offset);
  }
  return offset;
}

/**
 * An instant as `2026-11-29T09:46:53.123+01:00`.
 *
 * @example
 * parisIso(Date.UTC(2027, 2, 22, 19, 0)); // "2027-03-22T20:00:00.000+01:00"
 */
export function parisIso(utcMs: number): string {
  // Tickets sold together share their time: a page often formats the same instant in a row.
  if (utcMs === lastInstant) return lastText;
  const offset = parisOffsetMinutes(utcMs);
  const wall = new Date(utcMs + offset * 60_000).toISOString().slice(0, 23);
  const abs = Math.abs(offset);
  const sign = offset < 0 ? "-" : "+";
  lastInstant = utcMs;
  lastText = `${wall}${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
  return lastText;
}

let lastInstant = Number.NaN;
let lastText = "";

/**
 * The instant of a Paris wall-clock time (`day` is `YYYY-MM-DD`, then hours and minutes). Meant
 * for evening shows: a time inside the spring gap or the repeated autumn hour is read with the
 * offset of the hour before.
 */
export function parisWallTime(day: string, hour: number, minute: number): number {
  const [y, m, d] = day.split("-").map(Number);
  const wall = Date.UTC(y, m - 1, d, hour, minute);
  const before = parisOffsetMinutes(wall - 3 * HOUR_MS);
  const guess = wall - before * 60_000;
  return wall - parisOffsetMinutes(guess) * 60_000;
}

/** An ISO date without milliseconds, as the catalogue writes them: `2027-03-22T20:00:00+01:00`. */
export function parisIsoSeconds(utcMs: number): string {
  return parisIso(utcMs).replace(/\.\d{3}(?=[+-])/, "");
}
