#!/usr/bin/env node
import { parseCliArgs } from "./cli-args";
import { startTicketnetSimulator } from "./ticketnet-simulator";

// Runs the simulator until Ctrl-C, e.g. `node connectors/ticketnet/dist/simulator/cli.js --port 4101 --tick-ms 5000`.
async function main(): Promise<void> {
  const options = parseCliArgs(process.argv.slice(2));
  const simulator = await startTicketnetSimulator(options);
  const lines = [
    "Ticketnet simulator",
    `  url       ${simulator.url}`,
    `  login     ${simulator.credentials.login}`,
    `  password  ${simulator.credentials.password}`,
    `  ticks     ${options.tickEveryMs ? `every ${options.tickEveryMs} ms` : "off"}`,
    "  performances:",
    ...simulator.catalogue.flatMap((venue) =>
      venue.events.flatMap((event) =>
        event.performances.map(
          (p) => `    ${p.id}  ${p.startDate}  ${venue.name} — ${event.title} (${p.ticketCount} tickets)`,
        ),
      ),
    ),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  const stop = () => {
    void simulator.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((err: Error) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
});
