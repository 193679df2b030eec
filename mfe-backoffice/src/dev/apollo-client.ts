import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from "@apollo/client";
import { GraphQLWsLink } from "@apollo/client/link/subscriptions";
import { OperationTypeNode } from "graphql";
import { createClient } from "graphql-ws";

/**
 * The standalone page's own client, like the shell's: the session cookie over HTTP and over the
 * WebSocket (the dev server proxies the gateway on the same origin).
 */
export function createDevClient(): ApolloClient {
  const wsUrl = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/graphql`;
  const ws = new GraphQLWsLink(createClient({ url: wsUrl, lazy: true, retryAttempts: 5 }));
  const http = new HttpLink({ uri: "/graphql", credentials: "same-origin" });
  return new ApolloClient({
    cache: new InMemoryCache(),
    link: ApolloLink.split(({ operationType }) => operationType === OperationTypeNode.SUBSCRIPTION, ws, http),
  });
}
