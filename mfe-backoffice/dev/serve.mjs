// Standalone development without @rspack/dev-server: rspack in watch mode, the built files and
// index.html on one port, and the gateway's API (HTTP and WebSocket) proxied on the same origin so
// its session cookie works. Usage: GATEWAY_URL=http://localhost:4000 DEV_PORT=4620 npm run dev
import { createReadStream, existsSync, statSync } from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import path from "node:path";

process.env.NODE_ENV = "development";
const require = createRequire(import.meta.url);
const { rspack } = require("@rspack/core");
const config = require("../rspack.config.js");

const gateway = new URL(process.env.GATEWAY_URL ?? "http://localhost:4000");
const port = Number(process.env.DEV_PORT ?? 4620);
const dist = config.output.path;
const API = ["/graphql", "/api/", "/exports/", "/health"];
const TYPES = {
  ".js": "text/javascript",
  ".html": "text/html",
  ".map": "application/json",
  ".json": "application/json",
};

rspack(config).watch({}, (err, stats) => {
  if (err) console.error(err);
  else console.log(stats?.toString({ preset: "errors-warnings", colors: true }) || "built");
});

const proxyOptions = (req) => ({
  host: gateway.hostname,
  port: gateway.port,
  method: req.method,
  path: req.url,
  headers: { ...req.headers, host: gateway.host },
});

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://dev");
  if (API.some((prefix) => url.pathname === prefix || url.pathname.startsWith(prefix))) {
    const upstream = http.request(proxyOptions(req), (reply) => {
      res.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.pipe(res);
    });
    upstream.on("error", () => {
      res.writeHead(502, { "content-type": "application/json" });
      res.end(JSON.stringify({ message: "Passerelle injoignable." }));
    });
    req.pipe(upstream);
    return;
  }
  let file = path.join(dist, path.normalize(url.pathname));
  if (!file.startsWith(dist) || !existsSync(file) || statSync(file).isDirectory())
    file = path.join(dist, "index.html");
  const stream = createReadStream(file);
  stream.on("error", () => {
    res.writeHead(503, { "content-type": "text/plain; charset=utf-8" });
    res.end("Compilation en cours : rechargez dans un instant.");
  });
  stream.on("open", () => {
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
    stream.pipe(res);
  });
});

server.on("upgrade", (req, socket, head) => {
  const upstream = http.request(proxyOptions(req));
  upstream.on("upgrade", (reply, upstreamSocket, upstreamHead) => {
    const lines = [`HTTP/1.1 ${reply.statusCode} ${reply.statusMessage}`];
    for (let i = 0; i < reply.rawHeaders.length; i += 2)
      lines.push(`${reply.rawHeaders[i]}: ${reply.rawHeaders[i + 1]}`);
    socket.write(`${lines.join("\r\n")}\r\n\r\n`);
    if (upstreamHead.length) socket.write(upstreamHead);
    if (head.length) upstreamSocket.write(head);
    upstreamSocket.pipe(socket).pipe(upstreamSocket);
    upstreamSocket.on("error", () => socket.destroy());
    socket.on("error", () => upstreamSocket.destroy());
  });
  upstream.on("error", () => socket.destroy());
  upstream.end();
});

server.listen(port, () => console.log(`back office (standalone): http://localhost:${port}/backoffice/`));
