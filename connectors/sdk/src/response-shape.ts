import { ConnectorError } from "./connector-error";

/** A JSON object of a partner's answer. */
export type ResponseItem = Record<string, unknown>;

/**
 * Checks for a partner's JSON answers that fail with a `bad-response` naming the call (`what`),
 * the place (`at`) and the partner: « Billets…, page 2 : la réponse ne suit pas l'API Acme (…). »
 *
 * @example
 * const { list, id } = responseShape("Acme");
 * const venues = list(body.venues, "Lieux", "« venues »").map((v, i) => id(v, "id", "Lieux", `lieu ${i + 1}`));
 */
export function responseShape(partner: string) {
  const problem = (what: string, detail: string): ConnectorError =>
    new ConnectorError("bad-response", `${what} : la réponse ne suit pas l'API ${partner} (${detail}).`);
  const isItem = (value: unknown): value is ResponseItem =>
    typeof value === "object" && value !== null && !Array.isArray(value);
  return {
    problem,
    isItem,
    /** `value` as a list of objects; `name` says which list in the message. */
    list(value: unknown, what: string, name: string): ResponseItem[] {
      if (!Array.isArray(value)) throw problem(what, `${name} n'est pas une liste`);
      value.forEach((item, i) => {
        if (!isItem(item)) throw problem(what, `l'élément ${i + 1} de ${name} n'est pas un objet`);
      });
      return value as ResponseItem[];
    },
    /** An id: a non-empty string, or an integer some APIs send. */
    id(item: ResponseItem, field: string, what: string, at: string): string {
      const value = item[field];
      if (typeof value === "number" && Number.isSafeInteger(value)) return String(value);
      if (typeof value === "string" && value.trim()) return value.trim();
      throw problem(what, `${at} : « ${field} » manque ou est vide`);
    },
    /** A descriptive text: a string or a number, or empty when absent or null. */
    text(item: ResponseItem, field: string, what: string, at: string): string {
      const value = item[field];
      if (value === undefined || value === null) return "";
      if (typeof value === "string") return value.trim();
      if (typeof value === "number" && Number.isFinite(value)) return String(value);
      throw problem(what, `${at} : « ${field} » n'est pas un texte`);
    },
  };
}
