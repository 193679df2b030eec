import { TextDecoder } from "node:util";
import { isConnectorError } from "@billetix/connector-sdk";
import { decodeCsvText, decodeWindows1252, scanUtf8 } from "./csv-text";

async function* chunksOf(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function decoded(bytes: Uint8Array, size: number): Promise<string> {
  let text = "";
  for await (const piece of decodeCsvText(chunksOf(bytes, size))) text += piece;
  return text;
}

describe("scanUtf8", () => {
  it.each([
    [[0x41, 0xc3, 0xa9], { end: 3, cut: false }],
    [[0x41, 0xc3], { end: 1, cut: true }],
    [[0x41, 0xe2, 0x82], { end: 1, cut: true }],
    [[0x41, 0xe9, 0x42], { end: 1, cut: false }],
    [[0xc0, 0x80], { end: 0, cut: false }],
    [[0xed, 0xa0, 0x80], { end: 0, cut: false }],
    [[0xf0, 0x9f, 0x8e, 0xab], { end: 4, cut: false }],
    [[0xf4, 0x90, 0x80, 0x80], { end: 0, cut: false }],
  ])("%j", (bytes, expected) => {
    expect(scanUtf8(Uint8Array.from(bytes))).toEqual(expected);
  });
});

describe("decodeWindows1252", () => {
  it("reads 0x80–0x9F as Windows-1252, not Latin-1", () => {
    const bytes = Uint8Array.from([0x80, 0x20, 0x92, 0x9c, 0xe9, 0x81]);
    expect(decodeWindows1252(new TextDecoder("windows-1252"), bytes)).toBe("€ ’œé\u0081");
  });
});

describe("decodeCsvText", () => {
  const utf8 = Buffer.from("\ufeffCode;Nom\r\nA1;Zoé 🎫\rA2;Noël\r\n");

  it.each([1, 2, 3, 5, 1024])("strips the BOM and normalises line ends, in chunks of %d", async (size) => {
    expect(await decoded(utf8, size)).toBe("Code;Nom\nA1;Zoé 🎫\nA2;Noël\n");
  });

  it("reads a file that is not UTF-8 as Windows-1252", async () => {
    const bytes = Buffer.from([...Buffer.from("Nom\nNo"), 0xeb, 0x6c, 0x20, 0x80, 0x0a]);
    expect(await decoded(bytes, 1)).toBe("Nom\nNoël €\n");
  });

  it("refuses a UTF-8 sequence cut at the end of the file read as UTF-8", async () => {
    const bytes = Buffer.concat([
      Buffer.from(`Nom\n${"é".repeat(40_000)}\n`),
      Buffer.from([0x41, 0xe2, 0x82]),
    ]);
    const failure = await decoded(bytes, 4096).catch((err: Error) => err);
    expect(isConnectorError(failure) && failure.message).toMatch(
      /^Ligne 3 : caractères illisibles \(encodage\)/,
    );
  });
});
