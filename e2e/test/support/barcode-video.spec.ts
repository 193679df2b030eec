import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  BarcodeFormat,
  BinaryBitmap,
  Code128Reader,
  DecodeHintType,
  HybridBinarizer,
  PlanarYUVLuminanceSource,
  QRCodeReader,
} from "@zxing/library";
import { type BarcodeKind, barcodePicture, barcodeY4m, readY4m, writeBarcodeY4m } from "./barcode-video";

/** What a camera decoder reads in one Y plane: the text and the format it found. */
function decodeLuma(
  luma: Uint8Array,
  width: number,
  height: number,
  kind: BarcodeKind,
): { text: string; format: string } {
  const pixels = new Uint8ClampedArray(luma.buffer, luma.byteOffset, luma.length);
  const source = new PlanarYUVLuminanceSource(pixels, width, height, 0, 0, width, height, false);
  // The format's own reader: zxing's MultiFormatReader logs a warning for each reader that misses.
  const reader = kind === "qr" ? new QRCodeReader() : new Code128Reader();
  const result = reader.decode(
    new BinaryBitmap(new HybridBinarizer(source)),
    new Map<DecodeHintType, unknown>([[DecodeHintType.TRY_HARDER, true]]),
  );
  return { text: result.getText(), format: BarcodeFormat[result.getBarcodeFormat()] };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "billetix-y4m-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("writeBarcodeY4m", () => {
  it.each<[BarcodeKind, string, string]>([
    ["qr", "E2E-QR-0001", "QR_CODE"],
    ["qr", "https://billetix.example/t/ÉTÉ-2026?seat=12", "QR_CODE"],
    ["code128", "E2E-128-0001", "CODE_128"],
    ["code128", "Ticket 42/b", "CODE_128"],
  ])("writes a %s video of %j that decodes back", async (format, text, zxingFormat) => {
    const file = path.join(dir, `${format}-${zxingFormat}-${text.length}.y4m`);
    await writeBarcodeY4m(file, text, { format });
    const data = await readFile(file);
    const header = "YUV4MPEG2 W640 H480 F30:1 Ip A1:1 C420jpeg\n";
    expect(data.subarray(0, header.length).toString("ascii")).toBe(header);

    const video = readY4m(data);
    expect(video).toMatchObject({ width: 640, height: 480, fps: "30:1" });
    expect(video.frames).toHaveLength(10);
    expect(data.length).toBe(header.length + 10 * ("FRAME\n".length + 640 * 480 * 1.5));
    for (const frame of video.frames) {
      expect(frame.luma.equals(video.frames[0].luma)).toBe(true);
      expect(frame.chroma.every((b) => b === 128)).toBe(true);
    }
    // Black on white: only the two values, and the border (the quiet zone) is white.
    const luma = video.frames[0].luma;
    expect(new Set(luma)).toEqual(new Set([0, 255]));
    expect(luma.subarray(0, 640).every((b) => b === 255)).toBe(true);
    expect(luma.subarray(479 * 640).every((b) => b === 255)).toBe(true);

    expect(decodeLuma(luma, 640, 480, format)).toEqual({ text, format: zxingFormat });
  });

  it("honours another size, frame count and rate", () => {
    const video = readY4m(
      barcodeY4m("SMALL-1", { format: "qr", width: 320, height: 240, frames: 3, fps: 25 }),
    );
    expect(video).toMatchObject({ width: 320, height: 240, fps: "25:1" });
    expect(video.frames).toHaveLength(3);
    expect(decodeLuma(video.frames[2].luma, 320, 240, "qr").text).toBe("SMALL-1");
    const picture = barcodePicture("SMALL-2", { format: "code128", width: 320, height: 240 });
    expect(decodeLuma(picture.luma, 320, 240, "code128").text).toBe("SMALL-2");
  });

  it.each<[string, string, Parameters<typeof writeBarcodeY4m>[2], RegExp]>([
    ["empty text (QR)", "", { format: "qr" }, /empty/],
    ["empty text (Code 128)", "", { format: "code128" }, /empty/],
    ["a character Code 128 set B cannot carry", "BILLET-É", { format: "code128" }, /not printable ASCII/],
    ["a Code 128 too long for the width", "X".repeat(60), { format: "code128" }, /too many modules/],
    ["a QR code too dense for the height", "Q".repeat(600), { format: "qr", height: 64 }, /too many modules/],
    ["an odd width", "ODD", { format: "qr", width: 641 }, /width: 641/],
    ["no frame", "NONE", { format: "qr", frames: 0 }, /frames: 0/],
    ["an unknown format", "X", { format: "ean13" as BarcodeKind }, /neither "qr" nor "code128"/],
  ])("refuses %s", async (_, text, options, message) => {
    await expect(writeBarcodeY4m(path.join(dir, "bad.y4m"), text, options)).rejects.toThrow(message);
  });
});
