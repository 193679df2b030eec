import { CombinedGraphQLErrors, ServerError, ServerParseError } from "@apollo/client";
import type { Translate } from "./i18n";

/**
 * No usable answer from the gateway: no connection, a proxy's 5xx, a captive portal's page.
 * A GraphQL error or a 4xx is an answer: the gateway is there and said no.
 */
export function isNetworkFailure(error: unknown): boolean {
  if (CombinedGraphQLErrors.is(error)) return false;
  if (ServerError.is(error)) return error.statusCode >= 500;
  return true;
}

export function isUnauthenticated(error: unknown): boolean {
  return (
    CombinedGraphQLErrors.is(error) && error.errors.some((e) => e.extensions?.code === "UNAUTHENTICATED")
  );
}

/** The gateway's own words (GraphQL `message`, already French), or a French fallback. */
export function errorMessage(error: unknown, t: Translate): string {
  if (CombinedGraphQLErrors.is(error)) {
    const messages = error.errors.map((e) => e.message).filter(Boolean);
    if (messages.length) return messages.join(" ");
  }
  // fetch's own failure, a proxy's error page: the user only needs to know the network failed.
  if (error instanceof TypeError || ServerError.is(error) || ServerParseError.is(error))
    return t("networkError");
  if (error instanceof Error && error.message) return error.message;
  return t("unknownError");
}
