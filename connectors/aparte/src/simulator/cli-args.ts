import type { AparteSimulatorOptions } from "./aparte-simulator";

export const CLI_USAGE =
  "Usage: node dist/simulator/cli.js [--port 4102] [--host 127.0.0.1] [--seed 1] [--tick-ms 5000] [--tickets 150] [--slow-ms 300]";

const FLAGS: Record<string, keyof AparteSimulatorOptions> = {
  "--port": "port",
  "--seed": "seed",
  "--tick-ms": "tickEveryMs",
  "--tickets": "ticketsPerSeance",
  "--slow-ms": "slowMs",
};

/** Reads the CLI's flags (`--port 4102` or `--port=4102`); throws with the usage on a bad one. */
export function parseCliArgs(argv: readonly string[]): AparteSimulatorOptions {
  const options: AparteSimulatorOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=", 2);
    const value = inline ?? argv[++i];
    if (flag === "--host") {
      if (!value) throw new Error(`--host needs an address\n${CLI_USAGE}`);
      options.host = value;
      continue;
    }
    const key = FLAGS[flag];
    if (!key) throw new Error(`Unknown option ${flag}\n${CLI_USAGE}`);
    if (value === undefined || !/^-?\d+$/.test(value))
      throw new Error(`${flag} needs an integer\n${CLI_USAGE}`);
    (options as Record<string, number>)[key] = Number(value);
  }
  return options;
}
