#!/usr/bin/env node
import { startAparteSimulator } from "./aparte-simulator";
import { parseCliArgs } from "./cli-args";

// Runs the simulator until Ctrl-C, e.g. `node connectors/aparte/dist/simulator/cli.js --port 4102 --tick-ms 5000`.
async function main(): Promise<void> {
  const options = parseCliArgs(process.argv.slice(2));
  const simulator = await startAparteSimulator(options);
  const lines = [
    "Aparté simulator",
    `  url          ${simulator.url}`,
    `  organismeId  ${simulator.organismeId}`,
    `  apiKey       ${simulator.apiKey}`,
    `  ticks        ${options.tickEveryMs ? `every ${options.tickEveryMs} ms` : "off"}`,
    "  séances:",
    ...simulator
      .seances()
      .map(
        (s) =>
          `    ${s.idSeance}  ${s.dateDebut}  spectacle ${s.idSpectacle}, lieu ${s.idLieu}, ${s.total} billets`,
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
