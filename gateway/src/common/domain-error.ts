/**
 * A rule of the domain said no. Services throw these (never HTTP errors); the GraphQL layer
 * turns them into `extensions.code` plus the French message, in one place (error-format.ts).
 */
export class DomainError<Code extends string = string> extends Error {
  constructor(
    readonly code: Code,
    /** French, shown to the user as is. */
    message: string,
    /** The input field at fault, when there is one. */
    readonly field?: string,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export type CommonErrorCode = "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND" | "BAD_USER_INPUT" | "CONFLICT";

export const unauthenticated = () =>
  new DomainError<CommonErrorCode>("UNAUTHENTICATED", "Vous devez être connecté.");

export const forbidden = (what = "cette opération") =>
  new DomainError<CommonErrorCode>("FORBIDDEN", `Vous n'avez pas les droits pour ${what}.`);

export const notFound = (what: string) =>
  new DomainError<CommonErrorCode>("NOT_FOUND", `${what} introuvable.`);

export const badInput = (field: string, message: string) =>
  new DomainError<CommonErrorCode>("BAD_USER_INPUT", message, field);

export const conflict = (message: string, field?: string) =>
  new DomainError<CommonErrorCode>("CONFLICT", message, field);
