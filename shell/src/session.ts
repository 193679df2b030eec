import { type ApolloClient, CombinedGraphQLErrors, gql, type TypedDocumentNode } from "@apollo/client";
import type { CurrentInstitution, ShellSession } from "@billetix/web-contract";

export interface InstitutionNode extends CurrentInstitution {
  depth: number;
  parentId: string | null;
}

interface MeData {
  me: null | {
    login: { id: string; username: string; displayName: string | null; isRoot: boolean };
    lastInstitution: { id: string; name: string } | null;
  };
}

const ME: TypedDocumentNode<MeData> = gql`
  query ShellMe {
    me {
      login {
        id
        username
        displayName
        isRoot
      }
      lastInstitution {
        id
        name
      }
    }
  }
`;

const LOGIN: TypedDocumentNode<{ login: { token: string } }, { username: string; password: string }> = gql`
  mutation ShellLogin($username: String!, $password: String!) {
    login(username: $username, password: $password) {
      token
    }
  }
`;

const LOGOUT: TypedDocumentNode<{ logout: boolean }> = gql`
  mutation ShellLogout {
    logout
  }
`;

const INSTITUTIONS: TypedDocumentNode<{
  institutions: { id: string; name: string; depth: number; parent: { id: string } | null }[];
}> = gql`
  query ShellInstitutions {
    institutions {
      id
      name
      depth
      parent {
        id
      }
    }
  }
`;

const SWITCH: TypedDocumentNode<{ switchInstitution: { id: string; name: string } }, { id: string }> = gql`
  mutation ShellSwitchInstitution($id: ID!) {
    switchInstitution(institutionId: $id) {
      id
      name
    }
  }
`;

/** Keeps a WebSocket operation open: the gateway closes it (4401) when the session ends elsewhere. */
export const SERVER_TIME: TypedDocumentNode<{ serverTime: string }> = gql`
  subscription ShellServerTime {
    serverTime
  }
`;

export interface Me {
  session: ShellSession;
  lastInstitution: CurrentInstitution | null;
}

/** Who the cookie belongs to, or null when there is no session. */
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
  await client.clearStore();
}

/** The tree in display order (each institution under its parent), with its depth. */
export async function fetchInstitutions(client: ApolloClient): Promise<InstitutionNode[]> {
  const { data } = await client.query({ query: INSTITUTIONS, fetchPolicy: "network-only" });
  const flat = (data?.institutions ?? []).map((i) => ({
    id: i.id,
    name: i.name,
    depth: i.depth,
    parentId: i.parent?.id ?? null,
  }));
  return treeOrder(flat);
}

export function treeOrder(flat: InstitutionNode[]): InstitutionNode[] {
  const ids = new Set(flat.map((i) => i.id));
  const children = new Map<string | null, InstitutionNode[]>();
  for (const node of flat) {
    // A parent the login cannot see: the node is a top of the visible tree.
    const parent = node.parentId && ids.has(node.parentId) ? node.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), node]);
  }
  const out: InstitutionNode[] = [];
  const walk = (parent: string | null) => {
    const list = (children.get(parent) ?? []).sort((a, b) => a.name.localeCompare(b.name, "fr"));
    for (const node of list) {
      out.push(node);
      walk(node.id);
    }
  };
  walk(null);
  return out;
}

export async function switchInstitution(client: ApolloClient, id: string): Promise<CurrentInstitution> {
  const { data } = await client.mutate({ mutation: SWITCH, variables: { id } });
  if (!data) throw new Error("switchInstitution returned nothing");
  return { id: data.switchInstitution.id, name: data.switchInstitution.name };
}
