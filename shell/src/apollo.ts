import {
  ApolloClient,
  ApolloLink,
  CombinedGraphQLErrors,
  HttpLink,
  InMemoryCache,
  ServerError,
  ServerParseError,
} from "@apollo/client";
import { ErrorLink } from "@apollo/client/link/error";
import { GraphQLWsLink } from "@apollo/client/link/subscriptions";
import { getMainDefinition } from "@apollo/client/utilities";
import { type Client, createClient } from "graphql-ws";
import { map } from "rxjs";
import { reportNetwork } from "./network-status";

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
  const reached = new ApolloLink((operation, forward) =>
    forward(operation).pipe(
      map((result) => {
        reportNetwork(true);
        return result;
      }),
    ),
  );
  const errors = new ErrorLink(({ error }) => {
    // No answer at all (not a GraphQL error, not an HTTP error): the gateway is out of reach.
    const answered = CombinedGraphQLErrors.is(error) || ServerError.is(error) || ServerParseError.is(error);
    reportNetwork(answered);
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
  const client = new ApolloClient({
    link: ApolloLink.from([errors, reached, link]),
    cache: new InMemoryCache(),
  });
  return { client, ws };
}

function isCloseEvent(event: unknown): event is { code: number } {
  return typeof event === "object" && event !== null && "code" in event && typeof event.code === "number";
}
