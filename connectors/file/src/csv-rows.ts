import { ConnectorError } from "@billetix/connector-sdk";
import { type CsvError, type Parser, parse } from "csv-parse";
import { type Delimiter, detectDelimiter } from "./delimiter";
import type { SheetRow } from "./sheet-row";

/** A record longer than this is almost surely an unclosed quote swallowing the file. */
export const MAX_RECORD_CHARS = 100_000;

/** Past this much text without a complete header line, the separator is guessed from what there is. */
const MAX_HEADER_CHARS = MAX_RECORD_CHARS;

/**
 * csv-parse driven one text chunk at a time: `push` resolves once the records of the chunk are
 * out, so rows and errors come in file order whatever the chunking.
 */
class RecordParser {
  private readonly parser: Parser;
  private records: string[][] = [];
  private error: Error | undefined;
  private readonly ended: Promise<void>;

  constructor(delimiter: Delimiter) {
    this.parser = parse({
      delimiter,
      record_delimiter: "\n",
      quote: '"',
      escape: '"',
      // Rows are checked against the header here, with a French message.
      relax_column_count: true,
      // A quote inside an unquoted field (Jean "Jo" Dupont) is kept as written.
      relax_quotes: true,
      // Tolerates spaces around quoted fields; with tabs as separators, they would be eaten.
      trim: delimiter !== "\t",
      skip_empty_lines: false,
      max_record_size: MAX_RECORD_CHARS,
    });
    this.parser.on("data", (record: string[]) => this.records.push(record));
    this.ended = new Promise((resolve) => {
      this.parser.on("error", (err) => {
        this.error ??= err;
        resolve();
      });
      this.parser.on("end", resolve);
    });
  }

  async push(text: string): Promise<string[][]> {
    await new Promise<void>((resolve) =>
      this.parser.write(text, (err) => {
        if (err) this.error ??= err;
        resolve();
      }),
    );
    return this.take();
  }

  async finish(): Promise<string[][]> {
    if (!this.error) {
      this.parser.end();
      await this.ended;
    }
    return this.take();
  }

  /** Records so far; the error after them. */
  private take() {
    const records = this.records;
    this.records = [];
    return records;
  }

  get failure(): Error | undefined {
    return this.error;
  }

  destroy(): void {
    this.parser.destroy();
  }
}

/** The French message for csv-parse's error on the record that starts at `line`. */
function csvError(err: Error, line: number): Error {
  const code = (err as CsvError).code;
  if (typeof code !== "string") return err;
  const at = `Ligne ${line} :`;
  const message =
    code === "CSV_QUOTE_NOT_CLOSED"
      ? `${at} un guillemet ouvert n'est jamais refermé.`
      : code === "CSV_MAX_RECORD_SIZE"
        ? `${at} ligne de plus de ${MAX_RECORD_CHARS.toLocaleString("fr-FR")} caractères ; un guillemet n'est sans doute pas refermé.`
        : `${at} guillemets mal placés : un champ entre guillemets doit se terminer par un guillemet suivi du séparateur.`;
  return new ConnectorError("bad-file", message, { line, cause: err });
}

/**
 * Where the first non-blank line of `text` ends (a `\n` outside quotes), or -1 when it is not
 * complete yet.
 */
function headerEnd(text: string): number {
  let quoted = false;
  let content = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    if (c === "\n" && !quoted) {
      if (content) return i;
    } else if (c !== " " && c !== "\t") content = true;
  }
  return -1;
}

/** Starts the parser on the first text, once its header line is there (or the text is all there). */
function open(
  text: string,
  delimiter: Delimiter | undefined,
): { parser: RecordParser; body: string; offset: number } {
  let body = text;
  let offset = 0;
  let chosen = delimiter;
  const sep = SEP_LINE.exec(body);
  if (sep) {
    chosen ??= sep[1] as Delimiter;
    body = body.slice(sep[0].length);
    offset = 1;
  }
  if (!chosen) {
    const end = headerEnd(body);
    const lines = (end < 0 ? body : body.slice(0, end)).split("\n");
    chosen = detectDelimiter(lines.find((l) => l.trim() !== "") ?? "");
  }
  return { parser: new RecordParser(chosen), body, offset };
}

/** Excel's hint line: `sep=;` before the header. */
const SEP_LINE = /^sep=([;,\t|])[ ]*(?:\n|$)/i;

/**
 * The rows of CSV text (with `\n` line ends), each with the line it starts on. Blank lines come
 * out too (as rows of blank cells), so line numbers stay right.
 *
 * The separator is `delimiter`, or else detected from the header line; Excel's `sep=;` first
 * line is honoured and skipped.
 *
 * @throws ConnectorError `bad-file` on an unclosed quote or misplaced quotes, naming the line
 */
export async function* csvRows(text: AsyncIterable<string>, delimiter?: Delimiter): AsyncGenerator<SheetRow> {
  let parser: RecordParser | undefined;
  let lastLine = 0;
  let buffered = "";

  // A record spans one line more than the line breaks in its (quoted) fields: line ends are all
  // "\n" by now, and the record's own is not in its fields.
  function* emit(records: string[][]): Generator<SheetRow> {
    for (const cells of records) {
      const line = lastLine + 1;
      lastLine = line;
      for (const cell of cells)
        for (let i = cell.indexOf("\n"); i >= 0; i = cell.indexOf("\n", i + 1)) lastLine++;
      yield { line, cells };
    }
  }

  try {
    for await (const piece of text) {
      let input = piece;
      if (!parser) {
        buffered += piece;
        const sepless = buffered.replace(/^sep=.[ ]*\n/i, "");
        if (headerEnd(sepless) < 0 && buffered.length < MAX_HEADER_CHARS) continue;
        ({ parser, body: input, offset: lastLine } = open(buffered, delimiter));
        buffered = "";
      }
      yield* emit(await parser.push(input));
      if (parser.failure) throw csvError(parser.failure, lastLine + 1);
    }
    if (!parser) {
      let body: string;
      ({ parser, body, offset: lastLine } = open(buffered, delimiter));
      yield* emit(await parser.push(body));
      if (parser.failure) throw csvError(parser.failure, lastLine + 1);
    }
    yield* emit(await parser.finish());
    if (parser.failure) throw csvError(parser.failure, lastLine + 1);
  } finally {
    parser?.destroy();
  }
}
