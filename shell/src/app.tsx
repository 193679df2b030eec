import { ApolloProvider } from "@apollo/client/react";
import {
  type CurrentInstitution,
  type Locale,
  type ShellSession,
  storedLocale,
  storeLocale,
} from "@billetix/web-contract";
import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { createShellApollo } from "./apollo";
import { I18nContext, MESSAGES } from "./i18n";
import { InstitutionPicker } from "./institution-picker";
import { Layout } from "./layout";
import { LoginPage } from "./login-page";
import { OfflineBanner } from "./offline-banner";
import { fetchMe, logOut, SERVER_TIME } from "./session";

type Phase =
  | { name: "checking" }
  | { name: "login"; notice?: "sessionEnded" }
  | { name: "picker"; session: ShellSession; institution: CurrentInstitution | null }
  | { name: "ready"; session: ShellSession; institution: CurrentInstitution };

export function App() {
  const [locale, setLocaleState] = useState<Locale>(storedLocale);
  const [phase, setPhase] = useState<Phase>({ name: "checking" });
  const loggedIn = useRef(false);
  loggedIn.current = phase.name === "picker" || phase.name === "ready";

  const endSession = useCallback(() => {
    if (!loggedIn.current) return;
    loggedIn.current = false;
    setPhase({ name: "login", notice: "sessionEnded" });
  }, []);
  const { client } = useMemo(() => createShellApollo(() => endSession()), [endSession]);

  const i18n = useMemo(
    () => ({
      locale,
      t: MESSAGES[locale],
      setLocale: (next: Locale) => {
        storeLocale(next);
        setLocaleState(next);
      },
    }),
    [locale],
  );
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const start = useCallback(async () => {
    try {
      const me = await fetchMe(client);
      if (!me) return setPhase({ name: "login" });
      setPhase(
        me.lastInstitution
          ? { name: "ready", session: me.session, institution: me.lastInstitution }
          : { name: "picker", session: me.session, institution: null },
      );
    } catch {
      setPhase({ name: "login" });
    }
  }, [client]);

  useEffect(() => {
    void start();
  }, [start]);

  // A WebSocket operation for as long as the session lasts: the gateway closes it when another
  // login ends this session, and the app says so at once.
  const session = phase.name === "picker" || phase.name === "ready" ? phase.session : null;
  useEffect(() => {
    if (!session) return;
    const subscription = client.subscribe({ query: SERVER_TIME }).subscribe({ error: () => undefined });
    return () => subscription.unsubscribe();
  }, [client, session]);

  // Nothing of the previous session stays in the cache once it ended.
  useEffect(() => {
    if (phase.name === "login") void client.clearStore();
  }, [client, phase.name]);

  let screen: ReactNode;
  switch (phase.name) {
    case "checking":
      screen = <p className="bx-card">{i18n.t.loading}</p>;
      break;
    case "login":
      screen = (
        <LoginPage
          client={client}
          notice={phase.notice ? i18n.t[phase.notice] : undefined}
          onLoggedIn={() => void start()}
        />
      );
      break;
    case "picker": {
      const { session: current, institution: previous } = phase;
      screen = (
        <InstitutionPicker
          client={client}
          current={previous}
          onPicked={(institution) => setPhase({ name: "ready", session: current, institution })}
          onCancel={
            previous ? () => setPhase({ name: "ready", session: current, institution: previous }) : undefined
          }
        />
      );
      break;
    }
    case "ready":
      screen = (
        <Layout
          client={client}
          session={phase.session}
          institution={phase.institution}
          onChangeInstitution={() =>
            setPhase({ name: "picker", session: phase.session, institution: phase.institution })
          }
          onLogout={() => {
            loggedIn.current = false;
            void logOut(client).then(() => setPhase({ name: "login" }));
          }}
        />
      );
      break;
  }

  return (
    <I18nContext.Provider value={i18n}>
      <ApolloProvider client={client}>
        {phase.name !== "ready" && <OfflineBanner />}
        {screen}
      </ApolloProvider>
    </I18nContext.Provider>
  );
}
