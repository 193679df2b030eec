import type { ApolloClient } from "@apollo/client";
import type { CurrentInstitution, Locale } from "@billetix/web-contract";
import { createContext, useContext } from "react";
import type { ScannerEngine } from "../local";
import type { Translate } from "./i18n";

/** What every screen of the scanner works with. */
export interface Scanner {
  client: ApolloClient;
  engine: ScannerEngine;
  institution: CurrentInstitution;
  locale: Locale;
  t: Translate;
  /** The gateway answers (the engine's last exchange and the browser agree): the banner's state. */
  online: boolean;
  /**
   * The browser's own flag: false means surely offline. Requests of the screens (registration,
   * clock, import list) try whenever it is true and learn from their own failures.
   */
  browserOnline: boolean;
}

export const ScannerContext = createContext<Scanner | null>(null);

export function useScanner(): Scanner {
  const value = useContext(ScannerContext);
  if (!value) throw new Error("useScanner outside the scanner");
  return value;
}
