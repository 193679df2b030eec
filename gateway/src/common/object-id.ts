import { ObjectId } from "@mikro-orm/mongodb";
import { badInput } from "./domain-error";

/** Parses an id received from a client; a malformed one is bad input naming the field. */
export function parseId(value: string, field: string): ObjectId {
  if (typeof value !== "string" || !ObjectId.isValid(value) || value.length !== 24) {
    throw badInput(field, `Identifiant invalide pour « ${field} ».`);
  }
  return new ObjectId(value);
}
