import { UniqueConstraintViolationException } from "@mikro-orm/core";
import type { GraphQLFormattedError } from "graphql";
import { GraphQLError } from "graphql";
import type { Logger } from "pino";
import { ArgumentValidationError } from "type-graphql";
import { DomainError } from "./domain-error";

const INTERNAL_MESSAGE =
  "Une erreur interne est survenue. Réessayez ; si elle persiste, contactez le support.";

/**
 * The one place where errors become what a client sees: a code in `extensions.code`, the input
 * field at fault in `extensions.field`, and a French message. Anything unexpected is logged and
 * shown as an internal error, never with its details.
 */
export function formatError(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
    if (original instanceof DomainError) {
      return {
        message: original.message,
        path: formatted.path,
        extensions: { code: original.code, ...(original.field ? { field: original.field } : {}) },
      };
    }
    if (original instanceof ArgumentValidationError) {
      const first = original.extensions.validationErrors?.[0];
      const field = first ? deepestProperty(first) : undefined;
      const message = first ? firstConstraint(first) : undefined;
      return {
        message: message ?? "Saisie invalide.",
        path: formatted.path,
        extensions: { code: "BAD_USER_INPUT", ...(field ? { field } : {}) },
      };
    }
    if (original instanceof UniqueConstraintViolationException) {
      return { message: "Cet élément existe déjà.", path: formatted.path, extensions: { code: "CONFLICT" } };
    }
    const code = formatted.extensions?.code;
    // Errors of the GraphQL layer itself (syntax, unknown field, bad variable, limits) are safe to show.
    if (typeof code === "string" && code !== "INTERNAL_SERVER_ERROR") return formatted;
    log.error({ err: original, path: formatted.path }, "unexpected error");
    return { message: INTERNAL_MESSAGE, path: formatted.path, extensions: { code: "INTERNAL_SERVER_ERROR" } };
  };
}

interface ValidationNode {
  property: string;
  constraints?: Record<string, string>;
  children?: ValidationNode[];
}

function deepestProperty(node: ValidationNode): string {
  const child = node.children?.[0];
  return child ? `${node.property}.${deepestProperty(child)}` : node.property;
}

function firstConstraint(node: ValidationNode): string | undefined {
  const own = node.constraints ? Object.values(node.constraints)[0] : undefined;
  return own ?? (node.children?.[0] ? firstConstraint(node.children[0]) : undefined);
}
