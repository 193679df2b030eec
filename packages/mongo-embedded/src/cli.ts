import { parseArgs } from "node:util";
import { startEmbeddedMongo } from "./server";

const USAGE =
  "usage: billetix-db --dbpath DIR [--port 27017] [--host 127.0.0.1] [--quiet] [--stop-on-stdin-close]";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dbpath: { type: "string" },
      port: { type: "string", default: "27017" },
      host: { type: "string", default: "127.0.0.1" },
      quiet: { type: "boolean", default: false },
      // A parent process that launches us keeps our stdin open: when it dies, even by SIGKILL,
      // stdin closes and we stop cleanly instead of holding the data folder's lock.
      "stop-on-stdin-close": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!values.dbpath || !Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(USAGE);
    process.exitCode = 2;
    return;
  }
  const log = values.quiet ? () => undefined : (message: string) => console.error(`[billetix-db] ${message}`);
  const server = await startEmbeddedMongo({
    dbPath: values.dbpath,
    port,
    host: values.host,
    log,
    onFatal: () => process.exit(70),
  });
  console.log(`listening on ${server.uri}`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    await server.stop();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
  if (values["stop-on-stdin-close"]) {
    process.stdin.on("end", () => void stop("stdin closed"));
    process.stdin.on("close", () => void stop("stdin closed"));
    process.stdin.resume();
  }
}

main().catch((err: Error) => {
  console.error(`[billetix-db] cannot start: ${err.message}`);
  process.exit(1);
});
