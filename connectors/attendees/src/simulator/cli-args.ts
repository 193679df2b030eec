import { parseArgs } from "node:util";
import type { AttendeesSimulatorOptions } from "./simulator";

export const CLI_USAGE =
  "usage: node connectors/attendees/dist/simulator/cli.js [--port 4103] [--host 127.0.0.1] [--seed 1] [--tick-ms 5000] [--per-date 200]";

/**
 * The simulator's options from the CLI's arguments, or `"help"`. Throws an Error naming the
 * flag when a value is not a whole number.
 */
export function parseCliArgs(argv: string[]): AttendeesSimulatorOptions | "help" {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: "string", default: "4103" },
      host: { type: "string", default: "127.0.0.1" },
      seed: { type: "string", default: "1" },
      "tick-ms": { type: "string" },
      "per-date": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return "help";
  const number = (name: string, text: string | undefined): number | undefined => {
    if (text === undefined) return undefined;
    const n = Number(text);
    if (text.trim() === "" || !Number.isInteger(n) || n < 0)
      throw new Error(`--${name} expects a whole number, got "${text}"`);
    return n;
  };
  return {
    port: number("port", values.port),
    host: values.host,
    seed: number("seed", values.seed),
    tickEveryMs: number("tick-ms", values["tick-ms"]),
    participantsPerDate: number("per-date", values["per-date"]),
  };
}
