import { ApolloProvider } from "@apollo/client/react";
import type { RemoteContext, RemotePageProps } from "@billetix/web-contract";
import { type ComponentType, createContext, type ReactNode, useContext, useMemo } from "react";
import { type Translate, translator } from "./i18n";
import { injectStyles } from "./styles";

interface BackOffice extends RemoteContext {
  t: Translate;
}

const BackOfficeContext = createContext<BackOffice | null>(null);

/** The shell's context plus the translator, for any component of a page. */
export function useBackOffice(): BackOffice {
  const value = useContext(BackOfficeContext);
  if (!value) throw new Error("useBackOffice outside a back-office page");
  return value;
}

function Frame({ context, children }: { context: RemoteContext; children: ReactNode }) {
  const value = useMemo(() => ({ ...context, t: translator(context.locale) }), [context]);
  return (
    <ApolloProvider client={context.client}>
      <BackOfficeContext.Provider value={value}>
        <div className="bo" lang={context.locale}>
          {children}
        </div>
      </BackOfficeContext.Provider>
    </ApolloProvider>
  );
}

/**
 * Shows its children as if the shell were on `institution`: the settings page of an institution
 * reuses the users and sources pages, which work on the current institution.
 */
export function InstitutionScope({
  institution,
  children,
}: {
  institution: RemoteContext["institution"];
  children: ReactNode;
}) {
  const outer = useBackOffice();
  const value = useMemo(() => ({ ...outer, institution }), [outer, institution]);
  return <BackOfficeContext.Provider value={value}>{children}</BackOfficeContext.Provider>;
}

/** Wraps a page so its components reach the shell's Apollo client, context and translator. */
export function backOfficePage(Page: ComponentType<{ params: Record<string, string> }>) {
  function BackOfficePage({ context, params }: RemotePageProps) {
    injectStyles();
    return (
      <Frame context={context}>
        <Page params={params} />
      </Frame>
    );
  }
  BackOfficePage.displayName = `BackOfficePage(${Page.displayName ?? Page.name})`;
  return BackOfficePage;
}

/** The route of a back-office page in the shell, e.g. `boPath("performances/1/sources")`. */
export const boPath = (path: string) => `/backoffice/${path}`;
