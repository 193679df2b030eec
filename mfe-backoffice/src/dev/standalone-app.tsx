import type { ApolloClient } from "@apollo/client";
import { gql, type TypedDocumentNode } from "@apollo/client";
import type { CurrentInstitution, Locale, RemoteContext, RemotePage } from "@billetix/web-contract";
import { type FormEvent, StrictMode, useCallback, useEffect, useMemo, useState } from "react";
import { createRoot } from "react-dom/client";
import manifest from "../manifest";
import { createDevClient } from "./apollo-client";

// A stand-in for the shell, for development only: login, institution choice, the manifest's
// routes under /backoffice/ and a message line. The real shell replaces all of this.

interface MeData {
  me: { login: { id: string; username: string; displayName: string | null; isRoot: boolean } } | null;
  institutions: { id: string; name: string; depth: number }[];
}

const ME: TypedDocumentNode<MeData, Record<string, never>> = gql`
  query DevMe {
    me {
      login {
        id
        username
        displayName
        isRoot
      }
    }
    institutions {
      id
      name
      depth
    }
  }
`;

const LOGIN = gql`
  mutation DevLogin($username: String!, $password: String!) {
    login(username: $username, password: $password) {
      token
    }
  }
`;

const BASE = "/backoffice/";

/** Finds the manifest page for a path under /backoffice/ and its parameters. */
function matchPage(pathname: string): { page: RemotePage; params: Record<string, string> } | null {
  if (!pathname.startsWith(BASE) && pathname !== "/backoffice") return null;
  const rest = pathname.slice(BASE.length).replace(/\/$/, "");
  const parts = rest ? rest.split("/") : [];
  for (const page of manifest.pages) {
    const pattern = page.path ? page.path.split("/") : [];
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let matches = true;
    pattern.forEach((p, i) => {
      if (p.startsWith(":")) params[p.slice(1)] = decodeURIComponent(parts[i]);
      else if (p !== parts[i]) matches = false;
    });
    if (matches) return { page, params };
  }
  return null;
}

function usePathname(): [string, (path: string) => void] {
  const [pathname, setPathname] = useState(location.pathname);
  useEffect(() => {
    const onPop = () => setPathname(location.pathname);
    addEventListener("popstate", onPop);
    return () => removeEventListener("popstate", onPop);
  }, []);
  const navigate = useCallback((path: string) => {
    history.pushState(null, "", path);
    setPathname(path);
    scrollTo(0, 0);
  }, []);
  return [pathname, navigate];
}

function LoginForm({ client, onDone }: { client: ApolloClient; onDone: () => void }) {
  const [username, setUsername] = useState("demo-master");
  const [password, setPassword] = useState("");
  const [error, setError] = useState("");
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError("");
    try {
      await client.mutate({ mutation: LOGIN, variables: { username, password } });
      await client.clearStore();
      onDone();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <form onSubmit={submit} style={{ maxWidth: 320, margin: "3rem auto", display: "grid", gap: ".5rem" }}>
      <h1>Billetix — connexion (développement)</h1>
      <label htmlFor="dev-username">Identifiant</label>
      <input id="dev-username" value={username} onChange={(e) => setUsername(e.target.value)} />
      <label htmlFor="dev-password">Mot de passe</label>
      <input
        id="dev-password"
        type="password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      {error && <p role="alert">{error}</p>}
      <button type="submit">Se connecter</button>
    </form>
  );
}

function StandaloneApp({ client }: { client: ApolloClient }) {
  const [me, setMe] = useState<MeData | null | undefined>(undefined);
  const [institutionId, setInstitutionId] = useState(() => localStorage.getItem("bo-dev-institution") ?? "");
  const [locale, setLocale] = useState<Locale>("fr");
  const [message, setMessage] = useState<{ text: string; kind: string } | null>(null);
  const [pathname, navigate] = usePathname();

  const load = useCallback(async () => {
    try {
      const result = await client.query({ query: ME, fetchPolicy: "network-only" });
      setMe(result.data?.me ? result.data : null);
    } catch {
      setMe(null);
    }
  }, [client]);
  useEffect(() => {
    load();
  }, [load]);
  useEffect(() => {
    if (!pathname.startsWith("/backoffice") && !pathname.startsWith("/reports")) navigate(BASE);
  }, [pathname, navigate]);

  const institution: CurrentInstitution | undefined = useMemo(() => {
    const list = me?.institutions ?? [];
    return list.find((i) => i.id === institutionId) ?? list[0];
  }, [me, institutionId]);

  const context: RemoteContext | undefined = useMemo(
    () =>
      me?.me && institution
        ? {
            client,
            session: {
              loginId: me.me.login.id,
              username: me.me.login.username,
              displayName: me.me.login.displayName ?? undefined,
              isRoot: me.me.login.isRoot,
            },
            institution: { id: institution.id, name: institution.name },
            locale,
            navigate,
            notify: (text, kind = "info") => setMessage({ text, kind }),
          }
        : undefined,
    [client, me, institution, locale, navigate],
  );

  if (me === undefined) return <p>Chargement…</p>;
  if (!me?.me || !context) return <LoginForm client={client} onDone={load} />;
  const match = matchPage(pathname);
  const Page = match?.page.component;
  return (
    <div style={{ fontFamily: "system-ui, sans-serif", padding: "0 1rem" }}>
      <header style={{ display: "flex", gap: "1rem", alignItems: "center", flexWrap: "wrap" }}>
        <strong>Billetix (dev)</strong>
        <label htmlFor="dev-institution">Institution</label>
        <select
          id="dev-institution"
          value={institution?.id}
          onChange={(e) => {
            setInstitutionId(e.target.value);
            localStorage.setItem("bo-dev-institution", e.target.value);
          }}
        >
          {me.institutions.map((i) => (
            <option key={i.id} value={i.id}>
              {"\u00a0".repeat(Math.max(0, i.depth - 1) * 2)}
              {i.name}
            </option>
          ))}
        </select>
        <nav aria-label="Menu" style={{ display: "flex", gap: ".75rem" }}>
          {manifest.pages
            .filter((p) => p.nav)
            .map((p) => (
              <a
                key={p.path}
                href={BASE + p.path}
                onClick={(e) => {
                  e.preventDefault();
                  navigate(BASE + p.path);
                }}
              >
                {p.nav?.[locale]}
              </a>
            ))}
        </nav>
        <button type="button" onClick={() => setLocale(locale === "fr" ? "en" : "fr")}>
          {locale === "fr" ? "English" : "Français"}
        </button>
        <span>{me.me.login.username}</span>
      </header>
      <output
        aria-live="polite"
        data-kind={message?.kind}
        style={{
          display: "block",
          minHeight: "1.5rem",
          color: message?.kind === "error" ? "#a3161b" : "#1d6b2f",
        }}
      >
        {message?.text}
      </output>
      <main>
        {Page && match ? (
          <Page key={`${pathname}|${institution?.id}`} context={context} params={match.params} />
        ) : (
          <p>Page absente du mode autonome : {pathname}</p>
        )}
      </main>
    </div>
  );
}

export function startStandalone(root: HTMLElement): void {
  const client = createDevClient();
  createRoot(root).render(
    <StrictMode>
      <StandaloneApp client={client} />
    </StrictMode>,
  );
}
