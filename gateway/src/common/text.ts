import { badInput } from "./domain-error";

/** Lower-case without accents: what searches compare ("Opéra" finds "opera"). */
export function searchKey(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase();
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A trimmed, single-spaced name of 1..max characters, or bad input naming the field. */
export function cleanName(value: string, field: string, max: number, message: string): string {
  const name = typeof value === "string" ? value.trim().replace(/\s+/g, " ") : "";
  if (!name || name.length > max) throw badInput(field, message);
  return name;
}

/** An optional free text: trimmed, empty becomes undefined. */
export function optionalText(value: string | null | undefined): string | undefined {
  const text = typeof value === "string" ? value.trim() : "";
  return text || undefined;
}
