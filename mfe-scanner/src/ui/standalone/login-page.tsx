import type { ApolloClient } from "@apollo/client";
import { type FormEvent, useEffect, useRef, useState } from "react";
import type { Translate } from "../i18n";
import { logIn } from "./session";

interface Props {
  client: ApolloClient;
  t: Translate;
  /** The login of the last session, filled in. */
  username?: string;
  /** Shown above the form, e.g. why the previous session ended. */
  notice?: string;
  onLoggedIn(): void;
  /** Present when the device may go back to scanning on what it remembers. */
  onBack?: () => void;
}

export function LoginPage({ client, t, username: remembered, notice, onLoggedIn, onBack }: Props) {
  const [username, setUsername] = useState(remembered ?? "");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: focus once, where typing starts
  useEffect(() => (remembered ? passwordRef : usernameRef).current?.focus(), []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const outcome = await logIn(client, username.trim(), password);
      if (outcome === "ok") return onLoggedIn();
      setError(outcome === "bad-credentials" ? t("badCredentials") : outcome.message);
      setPassword("");
    } catch {
      setError(t("networkError"));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="sc-card" data-testid="login">
      <h1>{t("appName")}</h1>
      <h2>{t("loginTitle")}</h2>
      {notice && (
        <p className="sc-notice" role="status">
          {notice}
        </p>
      )}
      <form onSubmit={submit} aria-describedby={error ? "sc-login-error" : undefined}>
        <label htmlFor="sc-login-username">{t("username")}</label>
        <input
          id="sc-login-username"
          ref={usernameRef}
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          required
          value={username}
          onChange={(e) => setUsername(e.target.value)}
        />
        <label htmlFor="sc-login-password">{t("password")}</label>
        <input
          id="sc-login-password"
          ref={passwordRef}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        {error && (
          <p id="sc-login-error" className="sc-error" role="alert">
            {error}
          </p>
        )}
        <div className="sc-actions">
          <button type="submit" className="sc-primary sc-big" disabled={busy}>
            {busy ? t("signingIn") : t("signIn")}
          </button>
          {onBack && (
            <button type="button" className="sc-big" onClick={onBack}>
              {t("backToScanner")}
            </button>
          )}
        </div>
      </form>
    </main>
  );
}
