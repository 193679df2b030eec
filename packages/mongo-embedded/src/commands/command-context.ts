import type { Document } from "bson";
import type { CursorRegistry } from "../engine/cursors";
import type { Engine } from "../engine/engine";
import { checkCollectionName } from "../engine/engine";
import { typeMismatch } from "../errors";

export interface ServerInfo {
  host: string;
  port: number;
  startedAt: Date;
}

export interface CommandContext {
  engine: Engine;
  cursors: CursorRegistry;
  server: ServerInfo;
  connectionId: number;
  /** The command's `$db`. */
  db: string;
  /** Size of the inbound message: documents can only exceed 16 MB when it does. */
  messageBytes: number;
  /**
   * The BSON each document of the command's array `field` (`documents` of an insert) arrived
   * as, in order — bson decodes each back to that document; undefined when not known.
   */
  received?: (field: string) => Buffer[] | undefined;
}

export type CommandHandler = (command: Document, ctx: CommandContext) => Promise<Document> | Document;

/** The collection a command names in its first field, validated. */
export function collectionName(command: Document, ctx: CommandContext): string {
  const name = command[Object.keys(command)[0]];
  return checkCollectionName(ctx.db, name);
}

export function optionalDocument(command: Document, field: string): Document | undefined {
  const value = command[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) throw typeMismatch(`'${field}' must be an object`);
  return value as Document;
}

export function optionalNumber(command: Document, field: string): number | undefined {
  const value = command[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value)) throw typeMismatch(`'${field}' must be a number`);
  return value;
}

export function requireArray(command: Document, field: string): unknown[] {
  const value = command[field];
  if (!Array.isArray(value)) throw typeMismatch(`'${field}' must be an array`);
  return value;
}

/** `collation` is accepted only when it asks for simple binary comparison, which is what we do. */
export function checkCollation(collation: unknown): void {
  if (collation === undefined || collation === null) return;
  const locale = (collation as Document).locale;
  if (locale !== "simple")
    throw typeMismatch("collation other than {locale: 'simple'} is not supported by this server");
}
