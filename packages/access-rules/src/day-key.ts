const DAY_MS = 86_400_000;
/** Zone offsets change on quarter hours at the finest: one offset per zone and quarter hour. */
const BUCKET_MS = 900_000;
const CACHE_LIMIT = 10_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, number>();
const dayNames = new Map<number, string>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat("en-US", {
        timeZone,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
      });
    } catch {
      // A device reporting an unknown zone must not stop the door: count its days in UTC.
      formatter = formatterFor("UTC");
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The zone's offset from UTC at that instant, in ms (Intl is slow: cached per quarter hour). */
function offsetAt(at: number, timeZone: string): number {
  const bucketStart = Math.floor(at / BUCKET_MS) * BUCKET_MS;
  const key = `${timeZone}|${bucketStart}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const parts: Record<string, number> = {};
    for (const part of formatterFor(timeZone).formatToParts(bucketStart)) {
      if (part.type !== "literal") parts[part.type] = Number(part.value);
    }
    const localAsUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute);
    offset = localAsUtc - bucketStart;
    if (offsets.size >= CACHE_LIMIT) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

/** The calendar day (YYYY-MM-DD) of an instant in a time zone. */
export function dayKey(at: number, timeZone: string): string {
  const day = Math.floor((at + offsetAt(at, timeZone)) / DAY_MS);
  let name = dayNames.get(day);
  if (name === undefined) {
    name = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (dayNames.size >= CACHE_LIMIT) dayNames.clear();
    dayNames.set(day, name);
  }
  return name;
}
