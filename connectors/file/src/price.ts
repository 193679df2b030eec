/** Currency marks a price cell may carry around the number. */
const CURRENCY = /€|\beuros?\b|\beur\b|\$|£|\bchf\b/gi;
const FREE = new Set(["gratuit", "gratuite", "free"]);

/**
 * Reads a price written the French or the English way, in the currency's units.
 *
 * A single `,` or `.` is the decimal mark; when both appear, the last one is. Spaces (also
 * non-breaking ones) and apostrophes group thousands, and so does a mark that repeats. Group
 * sizes are checked, so "1 23,00" is refused rather than read as 123. "Gratuit" is 0.
 *
 * @returns the price, or `null` when the text is not a price or is negative (a ticket is never
 *   sold below zero, and the contract wants prices >= 0). Blank text is the caller's business.
 *
 * @example
 * parsePrice("12,50 €"); // 12.5
 * parsePrice("1 234,00"); // 1234
 * parsePrice("1,234.50"); // 1234.5
 * parsePrice("douze"); // null
 */
export function parsePrice(text: string): number | null {
  // The usual case, without marks to weigh: "12", "12,50", "12.50".
  if (/^\d+(?:[.,]\d+)?$/.test(text)) return Number(text.replace(",", "."));
  const s = text.normalize("NFKC").replace(CURRENCY, "").trim().replace(/^\+/, "");
  if (FREE.has(s.toLowerCase())) return 0;
  if (!/^\d[\d\s'’.,]*$/.test(s) || /[\s'’.,]$/.test(s)) return null;

  const lastComma = s.lastIndexOf(",");
  const lastDot = s.lastIndexOf(".");
  const count = (mark: string) => s.split(mark).length - 1;
  let decimalMark: string | undefined;
  if (lastComma >= 0 && lastDot >= 0) decimalMark = lastComma > lastDot ? "," : ".";
  else if (lastComma >= 0 && count(",") === 1) decimalMark = ",";
  else if (lastDot >= 0 && count(".") === 1) decimalMark = ".";

  const cut = decimalMark ? s.lastIndexOf(decimalMark) : s.length;
  const whole = s.slice(0, cut);
  const decimals = decimalMark ? s.slice(cut + 1) : "";
  if (decimalMark && !/^\d+$/.test(decimals)) return null;

  const groups = whole.split(/[\s'’.,]/);
  if (groups.length > 1) {
    // Only one kind of grouping mark, and groups of three after the first.
    const marks = new Set(whole.replace(/\d/g, "").replace(/\s/g, " "));
    if (marks.size > 1 || decimalMark === [...marks][0]) return null;
    if (!/^\d{1,3}$/.test(groups[0] ?? "") || groups.slice(1).some((g) => !/^\d{3}$/.test(g))) return null;
  } else if (!/^\d+$/.test(whole)) return null;

  const value = Number(`${groups.join("")}.${decimals || "0"}`);
  return Number.isFinite(value) ? value : null;
}
