import type { ApolloClient } from "@apollo/client";
import {
  type CurrentInstitution,
  type Locale,
  type ShellSession,
  storedLocale,
  storeLocale,
} from "@billetix/web-contract";
import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { createRoot } from "react-dom/client";
import type { ScannerEngine } from "../../local";
import { useOpenEngine } from "../engine/use-engine";
import { isNetworkFailure } from "../errors";
import { type Translate, translator } from "../i18n";
import { ScannerApp } from "../scanner-app";
import { injectStyles } from "../styles";
import { InstitutionChoice } from "./institution-choice";
import { LoginPage } from "./login-page";
import { loadRememberedSession, type RememberedSession, rememberSession } from "./remembered-session";
import { createScannerApollo } from "./scanner-apollo";
import { registerServiceWorker } from "./service-worker";
import { fetchMe, fetchScannerInstitutions, logOut } from "./session";
import { UpdatePrompt } from "./update-prompt";

/** While started offline on a remembered session, ask the gateway again this often. */
const RECHECK_MS = 20_000;

type Phase =
  | { name: "starting" }
  | { name: "login"; notice?: string }
  | { name: "unreachable" }
  | {
      name: "choose";
      session: ShellSession;
      institutions: CurrentInstitution[];
      /** Back to the scanner without changing (« Changer d'institution »). */
      current?: CurrentInstitution;
    }
  | {
      name: "ready";
      session: ShellSession;
      institution: CurrentInstitution;
      /** False: opened offline on what the device remembered, the gateway has not confirmed it yet. */
      confirmed: boolean;
    };

/** The last institution of this login on this device, if any. */
function lastInstitutionOf(session: ShellSession, remembered: RememberedSession | null) {
  return remembered?.session.loginId === session.loginId ? remembered.institution : null;
}

/**
 * The installable scanner at /mfe/scanner/: its own client and login, the institution choice, and
 * an offline start on the last session the device remembers.
 */
function StandaloneApp() {
  const [locale, setLocaleState] = useState<Locale>(storedLocale);
  const t = useMemo(() => translator(locale), [locale]);
  const [phase, setPhase] = useState<Phase>({ name: "starting" });
  const [sessionEnded, setSessionEnded] = useState(false);
  const { engine, error: engineError } = useOpenEngine(locale);
  const loggedIn = useRef(false);
  loggedIn.current = phase.name === "ready" || phase.name === "choose";

  const client = useMemo(
    () =>
      createScannerApollo(() => {
        // Only a session in use can end; a refusal on the login screen is the login's business.
        if (loggedIn.current) setSessionEnded(true);
      }),
    [],
  );

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const ready = useCallback((session: ShellSession, institution: CurrentInstitution) => {
    rememberSession({ session, institution });
    setSessionEnded(false);
    setPhase({ name: "ready", session, institution, confirmed: true });
  }, []);

  /** Opens the scanner offline on the remembered session, or says the network is needed. */
  const startOffline = useCallback(() => {
    const remembered = loadRememberedSession();
    if (remembered?.institution)
      setPhase({
        name: "ready",
        session: remembered.session,
        institution: remembered.institution,
        confirmed: false,
      });
    else setPhase({ name: "unreachable" });
  }, []);

  /** With a good session: the institution remembered, the only one, or the operator's choice. */
  const afterSession = useCallback(
    async (session: ShellSession, serverLast: CurrentInstitution | null, ask: boolean) => {
      const remembered = loadRememberedSession();
      let institutions: CurrentInstitution[];
      try {
        institutions = await fetchScannerInstitutions(client);
      } catch (err) {
        if (isNetworkFailure(err)) return startOffline();
        return setPhase({ name: "login" });
      }
      const last = lastInstitutionOf(session, remembered) ?? serverLast;
      const known = institutions.find((i) => i.id === last?.id);
      if (institutions.length === 1) return ready(session, institutions[0]);
      if (!ask && known) return ready(session, known);
      rememberSession({ session, institution: known ?? null });
      setPhase({ name: "choose", session, institutions });
    },
    [client, ready, startOffline],
  );

  const start = useCallback(async () => {
    setPhase({ name: "starting" });
    try {
      const me = await fetchMe(client);
      if (!me)
        return setPhase({ name: "login", notice: loadRememberedSession() ? t("sessionExpired") : undefined });
      await afterSession(me.session, me.lastInstitution, false);
    } catch (err) {
      if (isNetworkFailure(err)) startOffline();
      else setPhase({ name: "login" });
    }
  }, [client, afterSession, startOffline, t]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: once, at start
  useEffect(() => {
    void start();
  }, []);

  // Opened offline: as soon as the gateway answers, it confirms the session or says it is over.
  const unconfirmed = phase.name === "ready" && !phase.confirmed && !sessionEnded ? phase : null;
  useEffect(() => {
    if (!unconfirmed) return;
    let cancelled = false;
    const check = () =>
      fetchMe(client).then(
        (me) => {
          if (cancelled) return;
          if (me?.session.loginId === unconfirmed.session.loginId) ready(me.session, unconfirmed.institution);
          else setSessionEnded(true);
        },
        (err: unknown) => {
          if (!cancelled && !isNetworkFailure(err)) setSessionEnded(true);
        },
      );
    const timer = setInterval(check, RECHECK_MS);
    window.addEventListener("online", check);
    return () => {
      cancelled = true;
      clearInterval(timer);
      window.removeEventListener("online", check);
    };
  }, [client, unconfirmed, ready]);

  const loggedInNow = async () => {
    // What waited in the outbox while the session was over goes up now.
    if (engine) void Promise.resolve(engine.resumeAfterLogin()).catch(() => undefined);
    try {
      const me = await fetchMe(client);
      if (!me) return setPhase({ name: "login" });
      await afterSession(me.session, me.lastInstitution, true);
    } catch (err) {
      if (isNetworkFailure(err)) startOffline();
      else setPhase({ name: "login" });
    }
  };

  const setLocale = (next: Locale) => {
    storeLocale(next);
    setLocaleState(next);
  };

  let screen: ReactNode;
  if (engineError) {
    screen = (
      <p className="sc-card sc-error" role="alert">
        {t("storageFailed", { message: engineError.message })}
      </p>
    );
  } else if (!engine || phase.name === "starting") {
    screen = <p className="sc-card">{t("loading")}</p>;
  } else if (phase.name === "unreachable") {
    screen = (
      <main className="sc-card" data-testid="first-start-offline">
        <h1>{t("appName")}</h1>
        <p role="alert">{t("firstStartNeedsNetwork")}</p>
        <button type="button" className="sc-primary sc-big" onClick={() => void start()}>
          {t("retry")}
        </button>
      </main>
    );
  } else if (phase.name === "login") {
    const remembered = loadRememberedSession();
    screen = (
      <LoginPage
        client={client}
        t={t}
        username={remembered?.session.username}
        notice={phase.notice}
        onLoggedIn={() => void loggedInNow()}
        onBack={
          remembered?.institution
            ? () =>
                setPhase({
                  name: "ready",
                  session: remembered.session,
                  institution: remembered.institution as CurrentInstitution,
                  confirmed: false,
                })
            : undefined
        }
      />
    );
  } else if (phase.name === "choose") {
    const { session, institutions, current } = phase;
    screen = (
      <InstitutionChoice
        institutions={institutions}
        last={current ?? lastInstitutionOf(session, loadRememberedSession())}
        t={t}
        onChoose={(institution) => ready(session, institution)}
        onCancel={current ? () => ready(session, current) : undefined}
      />
    );
  } else {
    const { session, institution, confirmed } = phase;
    return (
      <ScannerApp
        client={client}
        engine={engine}
        institution={institution}
        locale={locale}
        sessionConfirmed={confirmed && !sessionEnded}
        sessionEnded={sessionEnded}
        onReconnect={() => setPhase({ name: "login", notice: t("sessionExpired") })}
        header={
          <>
            <StandaloneHeader
              t={t}
              session={session}
              institution={institution}
              canChange={confirmed && !sessionEnded}
              onChangeInstitution={async () => {
                try {
                  const institutions = await fetchScannerInstitutions(client);
                  setPhase({ name: "choose", session, institutions, current: institution });
                } catch {
                  // Offline: the institution stays; the button comes back with the network.
                }
              }}
              onSwitchLocale={() => setLocale(locale === "fr" ? "en" : "fr")}
              onLogout={() => void logOutNow(client, engine, t, setPhase)}
            />
            <UpdatePrompt t={t} />
          </>
        }
      />
    );
  }

  return (
    <div className="sc" lang={locale}>
      {screen}
      <UpdatePrompt t={t} />
    </div>
  );
}

async function logOutNow(
  client: ApolloClient,
  engine: ScannerEngine,
  t: Translate,
  setPhase: (phase: Phase) => void,
): Promise<void> {
  const pending = engine.status().pending;
  await logOut(client);
  setPhase({ name: "login", notice: pending > 0 ? t("logoutPending", { count: pending }) : undefined });
}

function StandaloneHeader({
  t,
  session,
  institution,
  canChange,
  onChangeInstitution,
  onSwitchLocale,
  onLogout,
}: {
  t: Translate;
  session: ShellSession;
  institution: CurrentInstitution;
  canChange: boolean;
  onChangeInstitution(): void;
  onSwitchLocale(): void;
  onLogout(): void;
}) {
  return (
    <header className="sc-header">
      <strong>{t("appName")}</strong>
      <span data-testid="institution-name">{institution.name}</span>
      {canChange && (
        <button type="button" onClick={onChangeInstitution}>
          {t("changeInstitution")}
        </button>
      )}
      <span className="sc-spacer" />
      <span className="sc-header-user">{session.displayName ?? session.username}</span>
      <button type="button" onClick={onSwitchLocale} aria-label={t("language")}>
        {t("switchTo")}
      </button>
      <button type="button" onClick={onLogout}>
        {t("logout")}
      </button>
    </header>
  );
}

/** Starts the standalone scanner in `root` and installs its service worker (production builds). */
export function startStandalone(root: HTMLElement): void {
  injectStyles();
  createRoot(root).render(<StandaloneApp />);
  registerServiceWorker();
}
