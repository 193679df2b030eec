import type { Locale } from "./index";

/** Shared by the shell and the standalone scanner: same origin, same key, one choice of language. */
const LOCALE_KEY = "billetix.locale";

interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/**
 * The browser's `localStorage`, read through `globalThis`: the root type-check compiles this
 * package without the DOM library. Where there is none (Node), the calls below throw and the
 * catches give the same answer as a refused storage.
 */
const storage = (): KeyValueStorage =>
  (globalThis as unknown as { localStorage: KeyValueStorage }).localStorage;

/**
 * The language chosen on this browser, French unless English was chosen.
 *
 * @example
 * const [locale, setLocale] = useState<Locale>(storedLocale);
 */
export function storedLocale(): Locale {
  try {
    return storage().getItem(LOCALE_KEY) === "en" ? "en" : "fr";
  } catch {
    return "fr";
  }
}

/** Remembers the language for the next visit (the shell and the standalone scanner read it back). */
export function storeLocale(locale: Locale): void {
  try {
    storage().setItem(LOCALE_KEY, locale);
  } catch {
    // Private browsing may refuse storage: the choice then lasts for this page only.
  }
}
