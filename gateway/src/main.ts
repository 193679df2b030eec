import pino from "pino";
import { loadConfig } from "./config";
import { type EmbeddedDatabase, launchEmbeddedDatabase } from "./db/embedded-database";
import { type DemoPartners, seedDemoSources, startDemoPartners } from "./demo/demo-partners";
import { DEMO_CUSTOMER, DEMO_PASSWORD, seedDemo } from "./demo/seed-demo";
import { startGateway } from "./server";

/**
 * `npm start`: the embedded database when MONGODB_URI is unset, then the gateway.
 * `npm run demo` (`--demo`): the same, after filling a demo customer if it is not there yet.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = pino({ level: config.logLevel });
  // A connector's stray promise must not take the gateway down: it is logged, the rest goes on.
  process.on("unhandledRejection", (err) => log.error({ err }, "unhandled promise rejection"));
  let database: EmbeddedDatabase | undefined;
  if (!config.mongoUri) {
    database = await launchEmbeddedDatabase(config.dataDir, log);
    config.mongoUri = database.uri;
  }
  const gateway = await startGateway({ config, log }).catch(async (err) => {
    await database?.stop();
    throw err;
  });
  if (gateway.generatedRootPassword) {
    // Printed once, on the console only: it is not stored anywhere in clear.
    console.log(`\n  First start: log in as "root" with password ${gateway.generatedRootPassword}\n`);
  }
  let partners: DemoPartners | undefined;
  if (process.argv.includes("--demo")) {
    const demo = await seedDemo(gateway.orm.em.fork(), gateway.deps);
    // Simulated ticketing partners, so the demo's sources sync and change as real ones do.
    partners = await startDemoPartners();
    await seedDemoSources(gateway.orm.em.fork(), gateway.deps, DEMO_CUSTOMER, partners);
    console.log(
      `  Partner simulators: ${partners.sources.map((p) => `${p.name} ${p.config.baseUrl}`).join(", ")}`,
    );
    console.log(demo.created ? "\n  Demo customer created." : "\n  Demo customer already there.");
    for (const { username, role } of demo.logins) console.log(`  ${username.padEnd(14)} ${role}`);
    console.log(`  (password of every demo login: ${DEMO_PASSWORD})\n`);
  }
  console.log(`Billetix is ready: ${gateway.url}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "stopping");
    await gateway.stop().catch((err) => log.error({ err }, "gateway stop failed"));
    await partners?.close();
    await database?.stop();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((err) => {
  console.error(`Billetix cannot start: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
