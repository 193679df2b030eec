/**
 * Why a connector could not do its work. The gateway shows `message` (French) on the source and
 * decides from `code` whether trying again later makes sense.
 */
export type ConnectorErrorCode =
  /** The partner refused the credentials (401/403): fix the source's configuration. */
  | "unauthorized"
  /** The partner could not be reached, answered 5xx, or timed out: tried again later. */
  | "unavailable"
  /** The partner answered something that is not its API's shape. */
  | "bad-response"
  /** The partner does not know the event/date asked for. */
  | "not-found"
  /** An uploaded file cannot be read; `line` says where. */
  | "bad-file"
  /** The source or performance configuration is not usable. */
  | "bad-config";

export class ConnectorError extends Error {
  override readonly name = "ConnectorError";

  constructor(
    readonly code: ConnectorErrorCode,
    /** In French, for the admin: what went wrong and, where it helps, what to do. */
    message: string,
    readonly details: { line?: number; status?: number; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
  }

  /** Worth another try later without changing anything. */
  get retryable(): boolean {
    return this.code === "unavailable";
  }
}

export function isConnectorError(err: unknown): err is ConnectorError {
  return err instanceof Error && (err as { name?: string }).name === "ConnectorError" && "code" in err;
}
