import { ApolloClient, ApolloLink, CombinedGraphQLErrors, HttpLink, InMemoryCache } from "@apollo/client";
import { ErrorLink } from "@apollo/client/link/error";
import { GraphQLWsLink } from "@apollo/client/link/subscriptions";
import { OperationTypeNode } from "graphql";
import { createClient } from "graphql-ws";

/** Close code the gateway sends a WebSocket whose session ended (another login elsewhere). */
export const SESSION_ENDED_CLOSE_CODE = 4401;

/** Waits between WebSocket attempts: quick at first, then every 30 s at most, forever. */
const retryWait = (retries: number) =>
  new Promise<void>((resolve) =>
    setTimeout(resolve, Math.min(30_000, 1000 * 2 ** Math.min(retries, 5)) * (0.75 + Math.random() / 2)),
  );

const isCloseEvent = (event: unknown): event is { code: number } =>
  typeof event === "object" && event !== null && "code" in event && typeof event.code === "number";

/**
 * The standalone scanner's own client, like the shell's: the session cookie over HTTP and the
 * WebSocket, both on the page's origin. The socket opens only while a subscription runs and tries
 * again forever (a door stays offline for hours); a network failure is never thrown at the page.
 * `onSessionEnded` runs when the gateway says the session is over.
 */
export function createScannerApollo(onSessionEnded: () => void): ApolloClient {
  const ws = createClient({
    url: `${window.location.protocol === "https:" ? "wss" : "ws"}://${window.location.host}/graphql`,
    lazy: true,
    keepAlive: 15_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    retryWait,
    shouldRetry: (event) => !(isCloseEvent(event) && event.code === SESSION_ENDED_CLOSE_CODE),
    on: {
      closed: (event) => {
        if (isCloseEvent(event) && event.code === SESSION_ENDED_CLOSE_CODE) onSessionEnded();
      },
    },
  });
  const errors = new ErrorLink(({ error }) => {
    if (CombinedGraphQLErrors.is(error) && error.errors.some((e) => e.extensions?.code === "UNAUTHENTICATED"))
      onSessionEnded();
  });
  const link = ApolloLink.split(
    ({ operationType }) => operationType === OperationTypeNode.SUBSCRIPTION,
    new GraphQLWsLink(ws),
    new HttpLink({ uri: "/graphql", credentials: "same-origin" }),
  );
  return new ApolloClient({ link: ApolloLink.from([errors, link]), cache: new InMemoryCache() });
}
