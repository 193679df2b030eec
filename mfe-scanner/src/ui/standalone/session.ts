import { type ApolloClient, CombinedGraphQLErrors } from "@apollo/client";
import type { CurrentInstitution, ShellSession } from "@billetix/web-contract";
import { LOGIN, LOGOUT, ME, SCANNER_INSTITUTIONS } from "../scanner.queries";

export interface Me {
  session: ShellSession;
  lastInstitution: CurrentInstitution | null;
}

/** Who the cookie belongs to, or null when there is no session. Throws when the gateway is out of reach. */
export async function fetchMe(client: ApolloClient): Promise<Me | null> {
  const { data } = await client.query({ query: ME, fetchPolicy: "network-only" });
  const me = data?.me;
  if (!me) return null;
  return {
    session: {
      loginId: me.login.id,
      username: me.login.username,
      displayName: me.login.displayName ?? undefined,
      isRoot: me.login.isRoot,
    },
    lastInstitution: me.lastInstitution,
  };
}

export type LoginOutcome = "ok" | "bad-credentials" | { message: string };

export async function logIn(client: ApolloClient, username: string, password: string): Promise<LoginOutcome> {
  try {
    await client.mutate({ mutation: LOGIN, variables: { username, password } });
    await client.clearStore();
    return "ok";
  } catch (err) {
    if (CombinedGraphQLErrors.is(err)) {
      const first = err.errors[0];
      if (first?.extensions?.code === "INVALID_CREDENTIALS") return "bad-credentials";
      // The gateway's messages are French already (e.g. too many attempts).
      return { message: first?.message ?? String(err) };
    }
    throw err;
  }
}

export async function logOut(client: ApolloClient): Promise<void> {
  await client.mutate({ mutation: LOGOUT }).catch(() => undefined);
  await client.clearStore().catch(() => undefined);
}

/** Where this login may scan, by name. */
export async function fetchScannerInstitutions(client: ApolloClient): Promise<CurrentInstitution[]> {
  const { data } = await client.query({ query: SCANNER_INSTITUTIONS, fetchPolicy: "network-only" });
  return [...(data?.scannerInstitutions ?? [])]
    .map(({ id, name }) => ({ id, name }))
    .sort((a, b) => a.name.localeCompare(b.name, "fr"));
}
