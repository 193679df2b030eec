/** MongoDB code names for the codes this layer answers (the driver reads both). */
const CODE_NAMES: Readonly<Record<number, string>> = {
  2: "BadValue",
  9: "FailedToParse",
  14: "TypeMismatch",
  28: "PathNotViable",
  40: "ConflictingUpdateOperators",
  52: "DollarPrefixedFieldName",
  54: "NotSingleValueField",
  56: "EmptyFieldName",
  66: "ImmutableField",
  72: "InvalidOptions",
  115: "CommandNotSupported",
  168: "InvalidPipelineOperator",
};

/** A query, update or pipeline the client got wrong (or that this server refuses), with its MongoDB code. */
export class QueryError extends Error {
  readonly codeName: string;

  constructor(
    readonly code: number,
    message: string,
    codeName?: string,
  ) {
    super(message);
    this.name = "QueryError";
    this.codeName = codeName ?? CODE_NAMES[code] ?? `Location${code}`;
  }
}

export const badValue = (message: string) => new QueryError(2, message);
export const failedToParse = (message: string) => new QueryError(9, message);
export const typeMismatch = (message: string) => new QueryError(14, message);
export const notSupported = (what: string) => new QueryError(115, `${what} is not supported by this server`);
export const scriptRefused = (operator: string) =>
  new QueryError(2, `${operator} is not allowed in this server`);

/**
 * Any error from evaluating a client's query as a QueryError: mingo throws plain errors for
 * malformed input, and `new RegExp` throws SyntaxError for a bad pattern — the client's fault.
 */
export function toQueryError(err: unknown): QueryError {
  if (err instanceof QueryError) return err;
  if (err instanceof SyntaxError)
    return new QueryError(51091, `Regular expression is invalid: ${err.message}`);
  return badValue(err instanceof Error ? err.message : String(err));
}

/** A value in mongosh-like notation for error messages, cut short. */
export function preview(value: unknown): string {
  const text = format(value, 0);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function format(value: unknown, depth: number): string {
  if (value === undefined) return "undefined";
  if (value === null || typeof value === "number" || typeof value === "boolean") return String(value);
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return `NumberLong(${value})`;
  if (typeof value !== "object") return String(value);
  if (depth > 3) return "...";
  if (Array.isArray(value)) return `[${value.map((v) => format(v, depth + 1)).join(", ")}]`;
  if (value instanceof Date)
    return Number.isNaN(value.getTime()) ? "new Date(NaN)" : `new Date(${value.getTime()})`;
  if (value instanceof RegExp) return value.toString();
  const tag = (value as { _bsontype?: unknown })._bsontype;
  switch (tag) {
    case "ObjectId":
      return `ObjectId('${String(value)}')`;
    case "Long":
      return `NumberLong(${String(value)})`;
    case "Decimal128":
      return `NumberDecimal("${String(value)}")`;
    case undefined:
      return `{${Object.entries(value)
        .map(([k, v]) => `${k}: ${format(v, depth + 1)}`)
        .join(", ")}}`;
    default:
      return `${String(tag)}(${JSON.stringify(value)})`;
  }
}
