import type { Document } from "bson";
import { CommandError } from "../errors";
import { QueryError } from "../query/mingo-options";

/** The `{code, codeName, errmsg, ...}` fields of an error reply, for any thrown value. */
export function errorFields(err: unknown): { code: number; codeName: string; errmsg: string } & Document {
  if (err instanceof CommandError)
    return { errmsg: err.message, code: err.code, codeName: err.codeName, ...err.extra };
  if (err instanceof QueryError) return { errmsg: err.message, code: err.code, codeName: err.codeName };
  const message = err instanceof Error ? err.message : String(err);
  // mingo reports unsupported operators and bad expressions as plain errors: they are the client's.
  return { errmsg: message, code: 2, codeName: "BadValue" };
}
