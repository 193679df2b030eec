import type { Locale } from "./index";

/** A remote's strings: each key in French, then in English. */
export type TranslationTable = Record<string, readonly [string, string]>;

/** Fills `{name}` placeholders from `values`; an unknown placeholder stays as written. */
export type Translator<Key extends string> = (key: Key, values?: Record<string, string | number>) => string;

/**
 * The translator of a string table for a locale.
 *
 * @example
 * const STRINGS = { hello: ["Bonjour {name}", "Hello {name}"] } as const satisfies TranslationTable;
 * makeTranslator(STRINGS, "en")("hello", { name: "Ana" }); // "Hello Ana"
 */
export function makeTranslator<Table extends TranslationTable>(
  strings: Table,
  locale: Locale,
): Translator<keyof Table & string> {
  const index = locale === "en" ? 1 : 0;
  return (key, values) => {
    const text: string = strings[key][index];
    return values ? text.replace(/\{(\w+)\}/g, (all, name: string) => String(values[name] ?? all)) : text;
  };
}
