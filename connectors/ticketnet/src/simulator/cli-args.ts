import type { TicketnetSimulatorOptions } from "./ticketnet-simulator";

export const CLI_USAGE =
  "Usage: node dist/simulator/cli.js [--port 4101] [--host 127.0.0.1] [--seed 1] [--tick-ms 5000] [--tickets 200] [--slow-ms 300] [--first-day 2027-03-22] [--login billetix] [--password secret]";

const NUMBERS: Record<string, keyof TicketnetSimulatorOptions> = {
  "--port": "port",
  "--seed": "seed",
  "--tick-ms": "tickEveryMs",
  "--tickets": "ticketsPerPerformance",
  "--slow-ms": "slowMs",
  "--token-ttl": "tokenTtlSeconds",
};

const TEXTS: Record<string, keyof TicketnetSimulatorOptions> = {
  "--host": "host",
  "--first-day": "firstDay",
  "--login": "login",
  "--password": "password",
};

/** Reads the CLI's flags (`--port 4101` or `--port=4101`); throws with the usage on a bad one. */
export function parseCliArgs(argv: readonly string[]): TicketnetSimulatorOptions {
  const options: Record<string, string | number> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.split(/=(.*)/s, 2);
    const number = NUMBERS[flag];
    const text = TEXTS[flag];
    if (!number && !text) throw new Error(`Unknown option ${arg}\n${CLI_USAGE}`);
    const value = inline ?? argv[++i];
    if (value === undefined || value === "") throw new Error(`${flag} needs a value\n${CLI_USAGE}`);
    if (text) {
      if (text === "firstDay" && !/^\d{4}-\d{2}-\d{2}$/.test(value))
        throw new Error(`${flag} needs a day as YYYY-MM-DD\n${CLI_USAGE}`);
      options[text] = value;
      continue;
    }
    if (!/^\d+$/.test(value)) throw new Error(`${flag} needs a whole number\n${CLI_USAGE}`);
    options[number] = Number(value);
  }
  return options as TicketnetSimulatorOptions;
}
