import { writeFile } from "node:fs/promises";
import { BarcodeFormat, EncodeHintType, QRCodeWriter } from "@zxing/library";

/**
 * A video of one printed barcode, for Chromium's fake camera:
 * `--use-fake-device-for-media-stream --use-fake-ui-for-media-stream
 * --use-file-for-fake-video-capture=<file.y4m>` plays the file in a loop as the camera.
 */
export type BarcodeKind = "qr" | "code128";

export interface BarcodeVideoOptions {
  format: BarcodeKind;
  /** Even sizes (4:2:0 halves them for the chroma planes). Default 640 × 480. */
  width?: number;
  height?: number;
  /** Identical frames in the file; Chromium loops over them. Default 10. */
  frames?: number;
  fps?: number;
}

/** A grey picture, one byte a pixel, row after row (the Y plane of a frame). */
export interface LumaPicture {
  width: number;
  height: number;
  luma: Uint8Array;
}

const BLACK = 0;
const WHITE = 255;
/** Quiet zones in modules: 4 around a QR code (ISO 18004), 10 either side of a Code 128. */
const QR_QUIET = 4;
const CODE128_QUIET = 10;

/**
 * Writes `text` as a barcode, black on white with its quiet zone, centred in every frame of a
 * YUV4MPEG2 (C420jpeg) file at `path`.
 *
 * @example
 * await writeBarcodeY4m("/tmp/ticket.y4m", "C-001", { format: "qr" });
 * // chromium --use-fake-device-for-media-stream --use-file-for-fake-video-capture=/tmp/ticket.y4m
 */
export async function writeBarcodeY4m(
  path: string,
  text: string,
  options: BarcodeVideoOptions,
): Promise<void> {
  await writeFile(path, barcodeY4m(text, options));
}

/** The bytes `writeBarcodeY4m` writes. */
export function barcodeY4m(text: string, options: BarcodeVideoOptions): Buffer {
  const { frames = 10, fps = 30 } = options;
  if (!Number.isInteger(frames) || frames < 1) throw new Error(`frames: ${frames} is not a positive integer`);
  if (!Number.isInteger(fps) || fps < 1) throw new Error(`fps: ${fps} is not a positive integer`);
  const { width, height, luma } = barcodePicture(text, options);
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128); // U then V: no colour
  const frame = Buffer.concat([Buffer.from("FRAME\n"), luma, chroma]);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`);
  return Buffer.concat([header, ...Array.from({ length: frames }, () => frame)]);
}

/** The Y plane of one frame: the symbol scaled to whole pixels per module, centred. */
export function barcodePicture(text: string, options: BarcodeVideoOptions): LumaPicture {
  const { width = 640, height = 480, format } = options;
  for (const [name, size] of [
    ["width", width],
    ["height", height],
  ] as const) {
    if (!Number.isInteger(size) || size < 16 || size % 2 !== 0)
      throw new Error(`${name}: ${size} is not an even number of pixels ≥ 16 (4:2:0 halves it)`);
  }
  if (text.length === 0) throw new Error("barcode text: empty, there is nothing to encode");
  const luma = new Uint8Array(width * height).fill(WHITE);
  const fill = (x0: number, y0: number, w: number, h: number) => {
    for (let y = y0; y < y0 + h; y++) luma.fill(BLACK, y * width + x0, y * width + x0 + w);
  };

  if (format === "qr") {
    const modules = qrModules(text);
    const span = modules.length + 2 * QR_QUIET;
    const unit = Math.floor((Math.min(width, height) * 0.9) / span);
    if (unit < 2)
      throw new Error(`QR code of ${text.length} characters: too many modules for ${width}×${height}`);
    const x0 = Math.floor((width - modules.length * unit) / 2);
    const y0 = Math.floor((height - modules.length * unit) / 2);
    modules.forEach((row, y) => {
      row.forEach((dark, x) => {
        if (dark) fill(x0 + x * unit, y0 + y * unit, unit, unit);
      });
    });
  } else if (format === "code128") {
    const bars = code128Modules(text);
    const unit = Math.floor((width * 0.95) / (bars.length + 2 * CODE128_QUIET));
    if (unit < 2)
      throw new Error(`Code 128 of ${text.length} characters: too many modules for ${width} pixels`);
    const x0 = Math.floor((width - bars.length * unit) / 2);
    const barHeight = Math.floor(height * 0.5);
    const y0 = Math.floor((height - barHeight) / 2);
    bars.forEach((dark, x) => {
      if (dark) fill(x0 + x * unit, y0, unit, barHeight);
    });
  } else {
    throw new Error(`format: ${String(format)} is neither "qr" nor "code128"`);
  }
  return { width, height, luma };
}

/** The QR code's modules (true = dark), no quiet zone, from @zxing/library's writer. */
export function qrModules(text: string): boolean[][] {
  const hints = new Map<EncodeHintType, unknown>([
    [EncodeHintType.MARGIN, 0],
    [EncodeHintType.CHARACTER_SET, "UTF-8"],
  ]);
  const matrix = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0, hints);
  return Array.from({ length: matrix.getHeight() }, (_, y) =>
    Array.from({ length: matrix.getWidth() }, (_, x) => matrix.get(x, y)),
  );
}

/**
 * Bar/space widths of the 107 Code 128 symbols (value 0–102, START A/B/C 103–105, STOP 106),
 * ISO/IEC 15417. @zxing/library 0.23 reads Code 128 but has no writer for it.
 */
const CODE128_PATTERNS = (
  "212222 222122 222221 121223 121322 131222 122213 122312 132212 221213 221312 231212 112232 " +
  "122132 122231 113222 123122 123221 223211 221132 221231 213212 223112 312131 311222 321122 " +
  "321221 312212 322112 322211 212123 212321 232121 111323 131123 131321 112313 132113 132311 " +
  "211313 231113 231311 112133 112331 132131 113123 113321 133121 313121 211331 231131 213113 " +
  "213311 213131 311123 311321 331121 312113 312311 332111 314111 221411 431111 111224 111422 " +
  "121124 121421 141122 141221 112214 112412 122114 122411 142112 142211 241211 221114 413111 " +
  "241112 134111 111242 121142 121241 114212 124112 124211 411212 421112 421211 212141 214121 " +
  "412121 111143 111341 131141 114113 114311 411113 411311 113141 114131 311141 411131 211412 " +
  "211214 211232 2331112"
).split(" ");
const START_B = 104;
const STOP = 106;

/** A Code 128 symbol in code set B (printable ASCII), as modules (true = bar), no quiet zone. */
export function code128Modules(text: string): boolean[] {
  const values = [...text].map((ch, i) => {
    const code = ch.charCodeAt(0);
    if (ch.length !== 1 || code < 32 || code > 126)
      throw new Error(`Code 128 (set B): character ${JSON.stringify(ch)} at ${i} is not printable ASCII`);
    return code - 32;
  });
  const checksum = values.reduce((sum, v, i) => sum + v * (i + 1), START_B) % 103;
  const modules: boolean[] = [];
  for (const symbol of [START_B, ...values, checksum, STOP]) {
    [...CODE128_PATTERNS[symbol]].forEach((w, k) => {
      for (let n = 0; n < Number(w); n++) modules.push(k % 2 === 0);
    });
  }
  return modules;
}

/** Reads a YUV4MPEG2 C420 file back: its header fields and each frame's Y plane (to check it). */
export function readY4m(data: Buffer): {
  width: number;
  height: number;
  fps: string;
  frames: { luma: Buffer; chroma: Buffer }[];
} {
  const end = data.indexOf(0x0a);
  const header = data.subarray(0, end).toString("ascii").split(" ");
  if (header[0] !== "YUV4MPEG2") throw new Error(`not a YUV4MPEG2 file: ${header[0]}`);
  const field = (tag: string) => header.find((h) => h.startsWith(tag))?.slice(1);
  const width = Number(field("W"));
  const height = Number(field("H"));
  const colour = field("C") ?? "420jpeg";
  if (!colour.startsWith("420")) throw new Error(`chroma ${colour}: only 4:2:0 is read`);
  const lumaSize = width * height;
  const frameSize = lumaSize + 2 * (width / 2) * (height / 2);
  const frames: { luma: Buffer; chroma: Buffer }[] = [];
  let at = end + 1;
  while (at < data.length) {
    const line = data.indexOf(0x0a, at);
    if (!data.subarray(at, line).toString("ascii").startsWith("FRAME"))
      throw new Error(`byte ${at}: expected FRAME`);
    if (line + 1 + frameSize > data.length) throw new Error(`frame ${frames.length + 1} is cut short`);
    const start = line + 1;
    frames.push({
      luma: data.subarray(start, start + lumaSize),
      chroma: data.subarray(start + lumaSize, start + frameSize),
    });
    at = line + 1 + frameSize;
  }
  return { width, height, fps: field("F") ?? "", frames };
}
