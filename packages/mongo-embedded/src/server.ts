import net from "node:net";
import { CursorRegistry } from "./engine/cursors";
import { Engine } from "./engine/engine";
import { TtlMonitor } from "./engine/ttl-monitor";
import { Connection } from "./wire/connection";

export interface EmbeddedMongoOptions {
  /** Data folder (created when missing). */
  dbPath: string;
  /** 0 picks a free port. */
  port?: number;
  /** Loopback by default: the server has no authentication. */
  host?: string;
  /** Journal size that triggers a snapshot (default 64 MiB). */
  compactAfterBytes?: number;
  /** TTL sweep period (default 60 s, as MongoDB). */
  ttlMonitorIntervalMs?: number;
  log?: (message: string) => void;
  /**
   * Called when a journal write or fsync fails. Memory is then ahead of disk, so the server has
   * already stopped serving; the CLI exits, and a restart recovers what was durable.
   */
  onFatal?: (err: Error) => void;
}

export interface EmbeddedMongo {
  uri: string;
  host: string;
  port: number;
  /** Closes connections, waits for durable writes, releases the data folder. */
  stop(): Promise<void>;
  /** Runs the TTL sweep now (tests, and operators who cannot wait a minute). */
  sweepExpired(now?: Date): Promise<void>;
}

/**
 * Starts the embedded MongoDB-compatible server in this process. The gateway runs it as a child
 * process through the `billetix-db` CLI; tests start it in-process on port 0.
 */
export async function startEmbeddedMongo(options: EmbeddedMongoOptions): Promise<EmbeddedMongo> {
  const log = options.log ?? (() => undefined);
  const host = options.host ?? "127.0.0.1";
  const engine = await Engine.open(options.dbPath, {
    compactAfterBytes: options.compactAfterBytes,
    logger: log,
  });
  const cursors = new CursorRegistry();
  const ttl = new TtlMonitor(engine, options.ttlMonitorIntervalMs ?? 60_000, log);
  const connections = new Set<Connection>();
  const startedAt = new Date();
  const info = { host, port: 0, startedAt };
  let nextConnectionId = 1;

  const server = net.createServer((socket) => {
    const connection = new Connection(socket, nextConnectionId++, { engine, cursors, server: info }, log);
    connections.add(connection);
    socket.on("close", () => connections.delete(connection));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 27017, host, () => {
      server.off("error", reject);
      resolve();
    });
  }).catch(async (err) => {
    await engine.close();
    throw err;
  });
  engine.onFatal((err) => {
    log(`storage failure, no longer serving: ${err.message}`);
    server.close();
    for (const connection of connections) connection.close();
    options.onFatal?.(err);
  });
  const address = server.address() as net.AddressInfo;
  info.port = address.port;
  const shownHost = host.includes(":") ? `[${host}]` : host;

  let stopping: Promise<void> | undefined;
  return {
    uri: `mongodb://${shownHost}:${address.port}`,
    host,
    port: address.port,
    sweepExpired: (now) => ttl.sweep(now),
    stop() {
      stopping ??= (async () => {
        ttl.stop();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const connection of connections) connection.close();
        cursors.close();
        await closed;
        await engine.close();
      })();
      return stopping;
    },
  };
}
