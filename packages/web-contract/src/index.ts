import type { ApolloClient } from "@apollo/client";
import type { ComponentType } from "react";

/** The languages of the product: French first. */
export type Locale = "fr" | "en";

export { storedLocale, storeLocale } from "./locale-storage";
export { makeTranslator, type TranslationTable, type Translator } from "./translator";

/** The logged-in person as the shell knows them. */
export interface ShellSession {
  loginId: string;
  username: string;
  displayName?: string;
  isRoot: boolean;
}

/** The institution being worked in (chosen in the shell's picker). */
export interface CurrentInstitution {
  id: string;
  name: string;
}

/**
 * What the shell hands every page of a remote. Remotes never build their own Apollo client:
 * the shell's carries the session cookie and the WebSocket link for subscriptions.
 */
export interface RemoteContext {
  client: ApolloClient;
  session: ShellSession;
  institution: CurrentInstitution;
  locale: Locale;
  /** Moves the shell to another route, e.g. `navigate("/backoffice/performances/123")`. */
  navigate(path: string): void;
  /** A short message at the bottom of the screen (success or French error). */
  notify(message: string, kind?: "success" | "error" | "info"): void;
}

export interface RemotePageProps {
  context: RemoteContext;
  /** The route's parameters, e.g. `{ id: "123" }` for `performances/:id`. */
  params: Record<string, string>;
}

/** A page a remote offers: the shell turns it into a route and, when `nav` is set, a menu entry. */
export interface RemotePage {
  /** Relative to the remote's base route, e.g. `performances/:id` under `/backoffice/`. */
  path: string;
  /** Menu entry, in both languages; omitted for pages reached by links only. */
  nav?: { fr: string; en: string; order?: number };
  component: ComponentType<RemotePageProps>;
}

/**
 * What each remote exposes as `./manifest` (its default export). The shell reads it at run time.
 *
 * @example
 * const manifest: RemoteManifest = {
 *   name: "backoffice",
 *   title: { fr: "Back office", en: "Back office" },
 *   pages: [{ path: "", nav: { fr: "Représentations", en: "Performances" }, component: Dashboard }],
 * };
 * export default manifest;
 */
export interface RemoteManifest {
  /** As in `/mfe/<name>/remoteEntry.js` and the route `/<name>/…`. */
  name: string;
  title: { fr: string; en: string };
  pages: RemotePage[];
}

/** The remotes the shell loads, in menu order. */
export const REMOTES = ["backoffice", "scanner", "reports"] as const;
export type RemoteName = (typeof REMOTES)[number];

/** Where a remote's entry is served by the gateway. */
export const remoteEntryUrl = (name: RemoteName, origin = ""): string =>
  `${origin}/mfe/${name}/remoteEntry.js`;

/** The modules shared as singletons between the shell and every remote (one React, one Apollo cache). */
export const SHARED_SINGLETONS = [
  "react",
  "react-dom",
  "@apollo/client",
  "graphql",
  "@billetix/web-contract",
] as const;
