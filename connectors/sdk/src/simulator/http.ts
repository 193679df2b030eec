import { createServer, type RequestListener, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** Where a simulator listens; both optional. */
export interface SimulatorListenOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
}

/** A simulator's running HTTP server. */
export interface SimulatorServer {
  /** `http://host:port`, without a trailing slash (an IPv6 host in brackets). */
  readonly url: string;
  readonly server: Server;
  /**
   * Stops the server: runs `onClose` (the simulator's timers), ends the connections still open,
   * requests held by a fault included, and resolves once the server is closed. Calling it again
   * returns the same promise.
   */
  close(): Promise<void>;
}

/**
 * Starts a simulator's `node:http` server and waits until it listens; rejects when it cannot
 * (port taken).
 *
 * @example
 * const faults = new FaultSwitch();
 * const { url, close } = await startSimulatorServer(
 *   (req, res) => sendJson(res, 200, { ok: true }),
 *   { port: 0, onClose: () => faults.clear() },
 * );
 */
export async function startSimulatorServer(
  listener: RequestListener,
  options: SimulatorListenOptions & { onClose?: () => void } = {},
): Promise<SimulatorServer> {
  const server = createServer(listener);
  // Keep-alive sockets of clients (undici) would otherwise hold close() open.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}`,
    server,
    close() {
      closing ??= new Promise<void>((resolve) => {
        options.onClose?.();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/**
 * Answers JSON text as is (a test may send a broken body on purpose), with its length.
 *
 * @example
 * sendJsonText(res, 200, text.slice(0, text.length / 2)); // a cut body, for `malformed`
 */
export function sendJsonText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

/**
 * Answers `body` as JSON.
 *
 * @example
 * sendJson(res, 404, { error: "NOT_FOUND", message: "Ressource inconnue" });
 */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  sendJsonText(res, status, JSON.stringify(body));
}

/**
 * A query parameter as a whole number of at most 9 digits: `fallback` when it is absent or
 * empty, undefined when it is anything else (a sign, a decimal, letters).
 *
 * @example
 * integerParam(new URL("http://x/?page=2"), "page", 1); // 2
 * integerParam(new URL("http://x/?page=-1"), "page", 1); // undefined
 */
export function integerParam(url: URL, name: string, fallback: number): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === "") return fallback;
  return /^\d{1,9}$/.test(raw) ? Number(raw) : undefined;
}

/**
 * The last requests a simulator received, oldest first, for tests that check what a connector
 * sent. `entries` is the live list.
 *
 * @example
 * const log = new RequestLog<string>();
 * log.add(`${req.method} ${req.url}`);
 * const copy = [...log.entries];
 */
export class RequestLog<T> {
  readonly entries: T[] = [];

  /** Keeps the last `size` requests; default 1000. */
  constructor(readonly size = 1000) {}

  add(entry: T): void {
    this.entries.push(entry);
    if (this.entries.length > this.size) this.entries.splice(0, this.entries.length - this.size);
  }
}
