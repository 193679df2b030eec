import { isConnectorError } from "@billetix/connector-sdk";
import { normalizeHeader, normalizeValue, resolveColumns, valueList } from "./header";

describe("normalizeHeader", () => {
  it.each([
    ["Code barre", "codebarre"],
    ["code-barre", "codebarre"],
    ["CODE_BARRE", "codebarre"],
    [" Numéro de  Billet ", "numerodebillet"],
    ["N° billet", "nobillet"],
    ["Nº billet", "nobillet"],
    ["No. billet", "nobillet"],
    ["Catégorie", "categorie"],
    ["Siège", "siege"],
    ["Prénom\u00a0Nom", "prenomnom"],
    ["Barcode", "barcode"],
  ])("%j → %j", (header, expected) => {
    expect(normalizeHeader(header)).toBe(expected);
  });
});

describe("normalizeValue and valueList", () => {
  it("compares values case-, accent- and space-insensitively", () => {
    expect(normalizeValue("  ANNULÉ ")).toBe("annule");
    expect(normalizeValue("Réédité")).toBe("reedite");
    expect([...valueList("annulé, Oui ,, X, ")]).toEqual(["annule", "oui", "x"]);
  });
});

function failure(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error("did not throw");
}

describe("resolveColumns", () => {
  it("recognises common French headers when nothing is configured", () => {
    const layout = resolveColumns(
      ["N° billet", "Catégorie", "Nom du porteur", "Siège", "Prix TTC", "Annulé", "Commande"],
      {},
      1,
    );
    expect(layout.fields).toEqual({ barcode: 0, category: 1, holderName: 2, seat: 3, price: 4, state: 5 });
    expect(layout.barcode).toBe(0);
    expect(layout.extra).toEqual([{ index: 6, key: "Commande" }]);
  });

  it("recognises English headers", () => {
    const layout = resolveColumns(["Ticket Number", "Category", "Name", "Seat", "Price", "Status"], {}, 1);
    expect(layout.fields).toEqual({ barcode: 0, category: 1, holderName: 2, seat: 3, price: 4, state: 5 });
  });

  it("prefers the better default: 'Code barre' over 'Numéro'", () => {
    const layout = resolveColumns(["Numéro", "Code-Barre", "Nom"], {}, 1);
    expect(layout.barcode).toBe(1);
    expect(layout.extra.map((e) => e.key)).toEqual(["Numéro"]);
  });

  it("follows the configured names, case-, accent- and space-insensitively", () => {
    const layout = resolveColumns(
      ["Réf. commande", "ID Billet", "Zone"],
      { barcode: "id billet", category: "ZONE" },
      1,
    );
    expect(layout.fields).toEqual({ barcode: 1, category: 2 });
    expect(layout.extra).toEqual([{ index: 0, key: "Réf. commande" }]);
  });

  it("names blank and repeated extra headers", () => {
    const layout = resolveColumns(["Code barre", "", "Info", "Info"], {}, 1);
    expect(layout.extra.map((e) => e.key)).toEqual(["Colonne 2", "Info", "Info (2)"]);
  });

  it.each([
    [["Nom", "Prix"], {}, /Ligne 1 : aucune colonne de code-barre.*« Nom », « Prix »/],
    [
      ["Code barre", "Prix"],
      { barcode: "Référence" },
      /Ligne 1 : la colonne « Référence », indiquée pour le code-barre, est absente/,
    ],
    [
      ["Code barre", "Prix"],
      { seat: "Place" },
      /la colonne « Place », indiquée pour la place.*« Code barre », « Prix »/,
    ],
  ])("refuses %j with %j", (headers, mapping, message) => {
    const err = failure(() => resolveColumns(headers, mapping, 1));
    expect(isConnectorError(err) && err.code).toBe("bad-file");
    expect(err.message).toMatch(message);
  });
});
