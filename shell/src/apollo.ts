import { ApolloClient, ApolloLink, CombinedGraphQLErrors, HttpLink, InMemoryCache } from "@apollo/client";
import { ErrorLink } from "@apollo/client/link/error";
import { GraphQLWsLink } from "@apollo/client/link/subscriptions";
import { getMainDefinition } from "@apollo/client/utilities";
import { type Client, createClient } from "graphql-ws";

/** Close code the gateway sends a WebSocket whose session ended (another login elsewhere). */
export const SESSION_ENDED_CLOSE_CODE = 4401;

export interface ShellApollo {
  client: ApolloClient;
  ws: Client;
}

/**
 * The one Apollo client of the page: HTTP for queries and mutations, graphql-ws for
 * subscriptions, both carried by the session cookie. `onSessionEnded` runs when the server
 * says the session is gone (UNAUTHENTICATED, or the socket closed with 4401).
 */
export function createShellApollo(onSessionEnded: () => void): ShellApollo {
  const wsUrl = `${window.location.protocol === "https:" ? "wss" : "ws"}://${window.location.host}/graphql`;
  const ws = createClient({
    url: wsUrl,
    retryAttempts: 5,
    shouldRetry: (event) => !(isCloseEvent(event) && event.code === SESSION_ENDED_CLOSE_CODE),
    on: {
      closed: (event) => {
        if (isCloseEvent(event) && event.code === SESSION_ENDED_CLOSE_CODE) onSessionEnded();
      },
    },
  });
  const http = new HttpLink({ uri: "/graphql", credentials: "same-origin" });
  const errors = new ErrorLink(({ error }) => {
    if (
      CombinedGraphQLErrors.is(error) &&
      error.errors.some((e) => e.extensions?.code === "UNAUTHENTICATED")
    ) {
      onSessionEnded();
    }
  });
  const link = ApolloLink.split(
    ({ query }) => {
      const definition = getMainDefinition(query);
      return definition.kind === "OperationDefinition" && definition.operation === "subscription";
    },
    new GraphQLWsLink(ws),
    http,
  );
  const client = new ApolloClient({ link: errors.concat(link), cache: new InMemoryCache() });
  return { client, ws };
}

function isCloseEvent(event: unknown): event is { code: number } {
  return typeof event === "object" && event !== null && "code" in event && typeof event.code === "number";
}
