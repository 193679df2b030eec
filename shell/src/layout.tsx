import type { ApolloClient } from "@apollo/client";
import {
  type CurrentInstitution,
  REMOTES,
  type RemoteContext,
  type RemoteManifest,
  type RemoteName,
  type RemotePage,
  type ShellSession,
} from "@billetix/web-contract";
import { type MouseEvent, type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useI18n } from "./i18n";
import { OfflineBanner } from "./offline-banner";
import { RemoteBoundary } from "./remote-boundary";
import { loadManifest, type RemoteState } from "./remotes";
import { matchPath, navigate, usePathname, useRedirect } from "./router";
import { ScannerQrDialog } from "./scanner-qr";

interface Props {
  client: ApolloClient;
  session: ShellSession;
  institution: CurrentInstitution;
  onChangeInstitution(): void;
  onLogout(): void;
}

interface NavEntry {
  remote: RemoteName;
  href: string;
  label: string;
  order: number;
}

type Toast = { message: string; kind: "success" | "error" | "info" };

const initialStates = (): Record<RemoteName, RemoteState> =>
  Object.fromEntries(REMOTES.map((name) => [name, { status: "loading" }])) as Record<RemoteName, RemoteState>;

export function Layout({ client, session, institution, onChangeInstitution, onLogout }: Props) {
  const { t, locale, setLocale } = useI18n();
  const pathname = usePathname();
  const [remotes, setRemotes] = useState(initialStates);
  const [toast, setToast] = useState<Toast>();
  const [qrOpen, setQrOpen] = useState(false);
  const mainRef = useRef<HTMLElement>(null);
  const qrButtonRef = useRef<HTMLButtonElement>(null);

  const load = useCallback((name: RemoteName, retry: boolean) => {
    setRemotes((all) => ({ ...all, [name]: { status: "loading" } }));
    loadManifest(name, retry).then(
      (manifest) => setRemotes((all) => ({ ...all, [name]: { status: "ready", manifest } })),
      (err: unknown) => {
        console.error(`remote ${name} failed to load`, err);
        setRemotes((all) => ({ ...all, [name]: { status: "failed", error: String(err) } }));
      },
    );
  }, []);

  useEffect(() => {
    for (const name of REMOTES) load(name, false);
  }, [load]);

  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(() => setToast(undefined), 5000);
    return () => clearTimeout(timer);
  }, [toast]);

  // Keyboard and screen-reader users land on the new page's content.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on each route change
  useEffect(() => {
    mainRef.current?.focus();
  }, [pathname]);

  const context = useMemo<RemoteContext>(
    () => ({
      client,
      session,
      institution,
      locale,
      navigate: (path) => navigate(path),
      notify: (message, kind = "info") => setToast({ message, kind }),
    }),
    [client, session, institution, locale],
  );

  const nav = useMemo(() => navEntries(remotes, locale), [remotes, locale]);
  const home = homeEntry(remotes, nav);
  useRedirect(pathname === "/" && home !== undefined, home?.href ?? "/");

  const [, first = "", ...rest] = pathname.split("/");
  const routeRemote = REMOTES.find((name) => name === first);
  const failed = REMOTES.filter((name) => remotes[name].status === "failed");

  const failure = (name: RemoteName, retry: () => void, message = t.remoteFailed(name)): ReactNode => (
    <div className="bx-error" role="alert" data-remote-failure={name}>
      <p>{message}</p>
      <button type="button" onClick={retry}>
        {t.retry}
      </button>
    </div>
  );

  let content: ReactNode;
  if (pathname === "/") content = nav.length === 0 ? <p>{t.noPages}</p> : <p>{t.loading}</p>;
  else if (!routeRemote) content = <p>{t.notFound}</p>;
  else {
    const state = remotes[routeRemote];
    if (state.status === "loading") content = <p>{t.loading}</p>;
    else if (state.status === "failed") content = failure(routeRemote, () => load(routeRemote, true));
    else {
      const found = findPage(state.manifest, rest.join("/"));
      if (!found) content = <p>{t.notFound}</p>;
      else {
        const Page = found.page.component;
        content = (
          <RemoteBoundary key={pathname} fallback={(retry) => failure(routeRemote, retry, t.pageCrashed)}>
            <Page context={context} params={found.params} />
          </RemoteBoundary>
        );
      }
    }
  }

  const follow = (event: MouseEvent<HTMLAnchorElement>, href: string) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(href);
  };

  return (
    <>
      <a className="bx-skip" href="#bx-main">
        {t.skipToContent}
      </a>
      <header className="bx-header">
        <strong>{t.appName}</strong>
        <span data-testid="current-institution">
          {t.institution} : {institution.name}
        </span>
        <button type="button" onClick={onChangeInstitution}>
          {t.changeInstitution}
        </button>
        <span className="bx-spacer" />
        <button type="button" ref={qrButtonRef} onClick={() => setQrOpen(true)}>
          {t.scannerQr}
        </button>
        <button
          type="button"
          lang={locale === "fr" ? "en" : "fr"}
          aria-label={`${t.language} : ${t.switchTo}`}
          onClick={() => setLocale(locale === "fr" ? "en" : "fr")}
        >
          {t.switchTo}
        </button>
        <span>{session.displayName ?? session.username}</span>
        <button type="button" onClick={onLogout}>
          {t.logout}
        </button>
      </header>
      <OfflineBanner />
      <div className="bx-body">
        <nav className="bx-nav" aria-label={t.navigation}>
          <ul>
            {nav.map((entry) => (
              <li key={entry.href}>
                <a
                  href={entry.href}
                  aria-current={isCurrent(pathname, entry.href) ? "page" : undefined}
                  onClick={(e) => follow(e, entry.href)}
                >
                  {entry.label}
                </a>
              </li>
            ))}
          </ul>
          {failed.map((name) => (
            <div key={name}>{failure(name, () => load(name, true))}</div>
          ))}
        </nav>
        <main id="bx-main" className="bx-main" ref={mainRef} tabIndex={-1}>
          {content}
        </main>
      </div>
      {qrOpen && (
        <ScannerQrDialog
          onClose={() => {
            setQrOpen(false);
            qrButtonRef.current?.focus();
          }}
        />
      )}
      {toast && (
        <div className={`bx-toast ${toast.kind}`} role={toast.kind === "error" ? "alert" : "status"}>
          {toast.message}
        </div>
      )}
    </>
  );
}

/**
 * Where `/` leads: the first menu entry in remote order (the back office first), once every
 * remote before it has loaded or failed — not whichever manifest happened to arrive first.
 */
function homeEntry(remotes: Record<RemoteName, RemoteState>, nav: NavEntry[]): NavEntry | undefined {
  for (const name of REMOTES) {
    if (remotes[name].status === "loading") return undefined;
    const entry = nav.find((e) => e.remote === name);
    if (entry) return entry;
  }
  return undefined;
}

function navEntries(remotes: Record<RemoteName, RemoteState>, locale: "fr" | "en"): NavEntry[] {
  const entries: NavEntry[] = [];
  REMOTES.forEach((name, remoteIndex) => {
    const state = remotes[name];
    if (state.status !== "ready") return;
    for (const page of state.manifest.pages) {
      if (!page.nav || page.path.includes(":")) continue;
      entries.push({
        remote: name,
        href: `/${name}/${page.path}`,
        label: page.nav[locale],
        order: remoteIndex * 1000 + (page.nav.order ?? 500),
      });
    }
  });
  return entries.sort((a, b) => a.order - b.order);
}

function findPage(
  manifest: RemoteManifest,
  path: string,
): { page: RemotePage; params: Record<string, string> } | null {
  for (const page of manifest.pages) {
    const params = matchPath(page.path, path);
    if (params) return { page, params };
  }
  return null;
}

function isCurrent(pathname: string, href: string): boolean {
  return pathname.replace(/\/$/, "") === href.replace(/\/$/, "");
}
