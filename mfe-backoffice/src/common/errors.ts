import { CombinedGraphQLErrors } from "@apollo/client";
import type { Translate } from "./i18n";

/** The server's own words (GraphQL `message`, already French), or a French fallback. */
export function errorMessage(error: unknown, t: Translate): string {
  if (CombinedGraphQLErrors.is(error)) {
    const messages = error.errors.map((e) => e.message).filter(Boolean);
    if (messages.length) return messages.join(" ");
  }
  if (error instanceof TypeError) return t("networkError");
  if (error instanceof Error && error.message) return error.message;
  return t("unknownError");
}
