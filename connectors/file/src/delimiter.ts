/** The field separators a CSV file may use. */
export type Delimiter = ";" | "," | "\t" | "|";

/** In order of preference when two are as frequent: French exports use `;`. */
export const DELIMITERS: readonly Delimiter[] = [";", ",", "\t", "|"];

/**
 * Guesses a CSV file's separator from its header line: the one that appears most often outside
 * quotes (a quoted header may hold a comma). Ties go to the earlier of `; , tab |`.
 *
 * @returns `;` when the line has none: a one-column file reads the same with any separator,
 *   and a barcode is less likely to hold a `;` than a `,`.
 *
 * @example
 * detectDelimiter('Code barre;"Nom, prénom";Prix'); // ";"
 * detectDelimiter("barcode,name,price"); // ","
 */
export function detectDelimiter(headerLine: string): Delimiter {
  const counts = new Map<string, number>();
  let quoted = false;
  for (const char of headerLine) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (DELIMITERS as readonly string[]).includes(char))
      counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  let best: Delimiter = ";";
  let bestCount = 0;
  for (const delimiter of DELIMITERS) {
    const n = counts.get(delimiter) ?? 0;
    if (n > bestCount) {
      best = delimiter;
      bestCount = n;
    }
  }
  return best;
}
