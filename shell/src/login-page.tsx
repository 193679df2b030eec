import type { ApolloClient } from "@apollo/client";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { useI18n } from "./i18n";
import { logIn } from "./session";

interface Props {
  client: ApolloClient;
  /** Shown above the form, e.g. why the previous session ended. */
  notice?: string;
  onLoggedIn(): void;
}

export function LoginPage({ client, notice, onLoggedIn }: Props) {
  const { t } = useI18n();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const usernameRef = useRef<HTMLInputElement>(null);

  useEffect(() => usernameRef.current?.focus(), []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const outcome = await logIn(client, username.trim(), password);
      if (outcome === "ok") return onLoggedIn();
      setError(outcome === "bad-credentials" ? t.badCredentials : outcome.message);
      setPassword("");
    } catch {
      setError(t.networkError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="bx-card">
      <h1>{t.appName}</h1>
      <h2>{t.loginTitle}</h2>
      {notice && (
        <p className="bx-info" role="status">
          {notice}
        </p>
      )}
      <form onSubmit={submit} aria-describedby={error ? "login-error" : undefined}>
        <label htmlFor="login-username">{t.username}</label>
        <input
          id="login-username"
          ref={usernameRef}
          name="username"
          autoComplete="username"
          required
          value={username}
          onChange={(e) => setUsername(e.target.value)}
        />
        <label htmlFor="login-password">{t.password}</label>
        <input
          id="login-password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        {error && (
          <p id="login-error" className="bx-error" role="alert">
            {error}
          </p>
        )}
        <p>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t.signingIn : t.signIn}
          </button>
        </p>
      </form>
    </main>
  );
}
