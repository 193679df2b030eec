/** A MongoDB-style command error: the driver reads `code`/`codeName`/`errmsg` from the reply. */
export class CommandError extends Error {
  constructor(
    readonly code: number,
    readonly codeName: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const badValue = (message: string) => new CommandError(2, "BadValue", message);
export const typeMismatch = (message: string) => new CommandError(14, "TypeMismatch", message);
export const invalidNamespace = (message: string) => new CommandError(73, "InvalidNamespace", message);
export const notSupported = (what: string) =>
  new CommandError(115, "CommandNotSupported", `${what} is not supported by the Billetix embedded server`);
