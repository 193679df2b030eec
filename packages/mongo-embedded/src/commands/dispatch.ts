import type { Document } from "bson";
import { CommandError } from "../errors";
import { adminCommands } from "./admin-commands";
import type { CommandContext, CommandHandler } from "./command-context";
import { ddlCommands } from "./ddl-commands";
import { errorFields } from "./errors-reply";
import { readCommands } from "./read-commands";
import { writeCommands } from "./write-commands";

const HANDLERS: Record<string, CommandHandler> = {
  ...adminCommands,
  ...readCommands,
  ...writeCommands,
  ...ddlCommands,
};

const TRANSACTION_COMMANDS = new Set(["commitTransaction", "abortTransaction"]);

/** Runs one command document and returns its reply; never throws. */
export async function dispatch(command: Document, ctx: CommandContext): Promise<Document> {
  const name = Object.keys(command)[0];
  try {
    // A standalone refuses transactions and retryable-write numbers (the driver only sends them to replica sets).
    if (
      command.txnNumber !== undefined ||
      command.autocommit !== undefined ||
      TRANSACTION_COMMANDS.has(name)
    ) {
      throw new CommandError(
        20,
        "IllegalOperation",
        "Transaction numbers are only allowed on a replica set member or mongos",
      );
    }
    const handler =
      name === undefined ? undefined : Object.hasOwn(HANDLERS, name) ? HANDLERS[name] : undefined;
    if (!handler) throw new CommandError(59, "CommandNotFound", `no such command: '${name ?? ""}'`);
    return await handler(command, ctx);
  } catch (err) {
    return { ok: 0, ...errorFields(err) };
  }
}
