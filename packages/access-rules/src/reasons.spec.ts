import { LOCALES, type Locale, REASONS, reasonMessage } from "./reasons";

describe("reason messages", () => {
  it.each(REASONS)("%s has a message in every locale", (reason) => {
    for (const locale of LOCALES) expect(reasonMessage(reason, locale)).toMatch(/\S/);
    expect(reasonMessage(reason)).toBe(reasonMessage(reason, "fr"));
  });

  it("says what the guide says", () => {
    expect(reasonMessage("FILTERED")).toBe("Billet filtré");
    expect(reasonMessage("UNKNOWN_TICKET")).toBe("Billet inconnu");
    expect(reasonMessage("ALREADY_USED")).toBe("Billet déjà utilisé");
  });

  it("distinguishes too early from too late, and no passes left from none left today", () => {
    const fr = REASONS.map((r) => reasonMessage(r));
    expect(new Set(fr).size).toBe(REASONS.length);
    const en = REASONS.map((r) => reasonMessage(r, "en"));
    expect(new Set(en).size).toBe(REASONS.length);
  });

  it("falls back to French for a locale it does not know", () => {
    expect(reasonMessage("CANCELLED", "de" as Locale)).toBe("Billet annulé");
  });
});
