#!/usr/bin/env node
/**
 * Runs the attendees partner simulator on its own, for demos and manual tests:
 * `node connectors/attendees/dist/simulator/cli.js --port 4103 [--seed 1] [--tick-ms 5000]`.
 * Prints the URL and the credentials a source needs, then serves until SIGINT or SIGTERM.
 */
import { CLI_USAGE, parseCliArgs } from "./cli-args";
import { startAttendeesSimulator } from "./simulator";

async function main(): Promise<void> {
  const options = parseCliArgs(process.argv.slice(2));
  if (options === "help") {
    console.log(CLI_USAGE);
    return;
  }
  const sim = await startAttendeesSimulator(options);
  console.log(`Attendees partner simulator listening on ${sim.url}`);
  console.log(`  baseUrl:  ${sim.url}`);
  console.log(`  username: ${sim.credentials.username}`);
  console.log(`  password: ${sim.credentials.password}`);
  console.log(`  apiKey:   ${sim.credentials.apiKey}`);
  for (const event of sim.events())
    console.log(`  event ${event.id} "${event.name}" at ${event.venue}, dates ${event.dateIds.join(", ")}`);
  const stop = () => {
    sim.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  console.error(CLI_USAGE);
  process.exit(1);
});
