import { detectDelimiter } from "./delimiter";

describe("detectDelimiter", () => {
  it.each([
    ["Code barre;Nom;Prix", ";"],
    ["barcode,name,price", ","],
    ["barcode\tname\tprice", "\t"],
    ["barcode|name|price", "|"],
    // Separators inside quotes do not count.
    ['"Nom, prénom";Code barre', ";"],
    ['"a;b;c","d;e",f', ","],
    ['Code barre\t"Prix; TTC, €"', "\t"],
    // The most frequent wins; ties go to ; then , then tab then |.
    ["a;b,c,d", ","],
    ["a;b,c", ";"],
    ["a,b\tc", ","],
    ["a\tb|c", "\t"],
    // One column: any separator reads it; ; is the French default.
    ["Code barre", ";"],
    ["", ";"],
  ])("finds the separator of %j", (line, expected) => {
    expect(detectDelimiter(line)).toBe(expected);
  });
});
