import { TextDecoder } from "node:util";
import { ConnectorError } from "@billetix/connector-sdk";

/** How much of a file without BOM decides its encoding (and whether it is text at all). */
export const ENCODING_WINDOW = 64 * 1024;

export const NOT_A_TABLE = "Ce fichier n'est ni un CSV ni un classeur Excel (.xlsx) lisible.";

const BOM = [0xef, 0xbb, 0xbf];

/**
 * Where UTF-8 stops being valid in `bytes`: `end` is the length of the valid part, and `cut` says
 * that what follows is only the start of a character the next bytes may complete.
 */
export function scanUtf8(bytes: Uint8Array): { end: number; cut: boolean } {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    let size: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) size = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      size = 3;
      if (b === 0xe0) low = 0xa0;
      if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      size = 4;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f;
    } else return { end: i, cut: false };
    for (let k = 1; k < size; k++) {
      if (i + k >= bytes.length) return { end: i, cut: true };
      const c = bytes[i + k] as number;
      if (c < (k === 1 ? low : 0x80) || c > (k === 1 ? high : 0xbf)) return { end: i, cut: false };
    }
    i += size;
  }
  return { end: i, cut: false };
}

/**
 * Windows-1252's characters for bytes 0x80–0x9F. Node's TextDecoder reads that range as Latin-1
 * control characters, where Excel's French CSV puts "€", "’", "œ"…; the five unassigned bytes
 * stay as they are, as WHATWG's decoder leaves them.
 */
const CP1252_HIGH = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ";

/** Decodes Windows-1252 bytes. */
export function decodeWindows1252(decoder: TextDecoder, bytes: Uint8Array): string {
  return decoder
    .decode(bytes)
    .replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80] as string);
}

/** True for the bytes a text file holds: printable ASCII, tab and line ends. */
const isPlainAscii = (b: number) => (b >= 0x20 && b < 0x7f) || b === 0x09 || b === 0x0a || b === 0x0d;

/** Why the start of a file that is not a workbook cannot be CSV text, or undefined when it may be. */
export function notTextReason(window: Uint8Array): string | undefined {
  const starts = (...magic: number[]) => magic.every((b, i) => window[i] === b);
  if (starts(0xff, 0xfe) || starts(0xfe, 0xff))
    return "Ce fichier est encodé en UTF-16 : enregistrez-le en « CSV UTF-8 » ou en classeur Excel (.xlsx).";
  if (starts(0xd0, 0xcf, 0x11, 0xe0))
    return `${NOT_A_TABLE} Un classeur Excel 97-2003 (.xls) doit être enregistré au format .xlsx ou CSV.`;
  if (starts(0x25, 0x50, 0x44, 0x46) || starts(0x89, 0x50, 0x4e, 0x47) || starts(0xff, 0xd8, 0xff))
    return NOT_A_TABLE; // PDF, PNG, JPEG
  let controls = 0;
  for (const b of window) {
    if (b === 0) return NOT_A_TABLE;
    if (b < 0x20 ? !isPlainAscii(b) : b === 0x7f) controls++;
  }
  return controls > window.length * 0.02 ? NOT_A_TABLE : undefined;
}

/** Turns `\r\n` and lone `\r` into `\n` across chunk boundaries, and counts the lines. */
class LineEnds {
  private pendingCr = false;
  private breaks = 0;

  push(text: string): string {
    let t = this.pendingCr ? `\r${text}` : text;
    this.pendingCr = t.endsWith("\r");
    if (this.pendingCr) t = t.slice(0, -1);
    t = t.replace(/\r\n?/g, "\n");
    for (let i = t.indexOf("\n"); i >= 0; i = t.indexOf("\n", i + 1)) this.breaks++;
    return t;
  }

  end(): string {
    return this.push(this.pendingCr ? "\n" : "");
  }

  /** The line the next character is on. */
  get line(): number {
    return this.breaks + (this.pendingCr ? 1 : 0) + 1;
  }
}

function encodingError(line: number): ConnectorError {
  return new ConnectorError(
    "bad-file",
    `Ligne ${line} : caractères illisibles (encodage). Le début du fichier est en UTF-8 mais cette ligne ` +
      "ne l'est pas : enregistrez tout le fichier en « CSV UTF-8 ».",
    { line },
  );
}

/**
 * A CSV file's text, chunk by chunk, with `\n` line ends.
 *
 * The encoding: a UTF-8 BOM means UTF-8; otherwise UTF-8 if the first 64 KiB are valid UTF-8,
 * else Windows-1252 (Excel's "CSV" on a French Windows). A file read as UTF-8 that turns invalid
 * later is refused, naming the line. Before the 64 KiB (or the end) are there, the leading plain
 * ASCII is passed on already — it reads the same in both encodings — so a small upload that
 * stalls still gives its first lines.
 *
 * @throws ConnectorError `bad-file` for binary junk (NUL bytes, control characters) and encoding errors
 */
export async function* decodeCsvText(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const lines = new LineEnds();
  const iterator = bytes[Symbol.asyncIterator]();
  const pull = async () => {
    const step = await iterator.next();
    return step.done ? undefined : step.value;
  };

  // Undecided: gather the window, passing on the plain ASCII that starts it.
  const chunks: Uint8Array[] = [];
  let length = 0;
  let ascii = 0;
  let asciiOpen = true;
  let ended = false;
  const latin = new TextDecoder("windows-1252");
  const startsWithBom = () => {
    const first = Buffer.concat(chunks.slice(0, 3)).subarray(0, 3);
    return first.length === 3 && BOM.every((b, i) => first[i] === b);
  };
  while (length < ENCODING_WINDOW && !ended) {
    const chunk = await pull();
    if (chunk === undefined) {
      ended = true;
      break;
    }
    chunks.push(chunk);
    length += chunk.length;
    if (startsWithBom()) break;
    if (asciiOpen) {
      let end = 0;
      while (end < chunk.length && isPlainAscii(chunk[end] as number)) end++;
      asciiOpen = end === chunk.length;
      ascii += end;
      const text = lines.push(latin.decode(chunk.subarray(0, end)));
      if (text) yield text;
    }
  }

  const head = Buffer.concat(chunks);
  let utf8: boolean;
  let rest: Uint8Array;
  if (startsWithBom()) {
    utf8 = true;
    rest = head.subarray(3);
  } else {
    const window = head.subarray(0, ENCODING_WINDOW);
    const junk = notTextReason(window);
    if (junk) throw new ConnectorError("bad-file", junk);
    const scan = scanUtf8(window);
    utf8 = scan.end === window.length || (scan.cut && (head.length > window.length || !ended));
    rest = head.subarray(ascii);
  }

  if (!utf8) {
    for (let chunk: Uint8Array | undefined = rest; chunk !== undefined; chunk = await pull()) {
      const text = lines.push(decodeWindows1252(latin, chunk));
      if (text) yield text;
    }
  } else {
    const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
    let pending: Uint8Array = new Uint8Array(0);
    for (let chunk: Uint8Array | undefined = rest; chunk !== undefined; chunk = await pull()) {
      const bytesNow = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      const scan = scanUtf8(bytesNow);
      const text = lines.push(decoder.decode(bytesNow.subarray(0, scan.end)));
      if (text) yield text;
      if (scan.end < bytesNow.length && !scan.cut) throw encodingError(lines.line);
      pending = bytesNow.subarray(scan.end);
    }
    if (pending.length) throw encodingError(lines.line);
  }
  const last = lines.end();
  if (last) yield last;
}
