// @ts-check
// Development server without @rspack/dev-server (not installed): rspack in watch mode into a
// temporary folder (dist/ stays the production build the gateway serves), the built files on one
// port with index.html for app routes, and the gateway proxied on the same origin (HTTP and
// WebSocket) so its session cookie works. Usage, from an app's folder:
//   node ../scripts/dev-serve.js <port> [paths proxied to the gateway…]   (GATEWAY_URL, default :4000)
const { createReadStream, existsSync, statSync } = require("node:fs");
const http = require("node:http");
const os = require("node:os");
const path = require("node:path");
const { rspack } = require("@rspack/core");

const appDir = process.cwd();
const [portArg = "3000", ...extraProxied] = process.argv.slice(2);
const gateway = new URL(process.env.GATEWAY_URL ?? "http://localhost:4000");
const proxied = ["/graphql", "/api/", "/exports/", "/health", ...extraProxied];
const TYPES = {
  ".js": "text/javascript",
  ".html": "text/html",
  ".json": "application/json",
  ".map": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".webmanifest": "application/manifest+json",
};

const configOf = require(path.join(appDir, "rspack.config.js"));
const config = configOf({}, { mode: "development" });
const dist = path.join(os.tmpdir(), `billetix-dev-${path.basename(appDir)}`);
config.output = { ...config.output, path: dist };

rspack(config).watch({}, (err, stats) => {
  if (err) console.error(err);
  else console.log(stats?.toString({ preset: "errors-warnings", colors: true }) || "built");
});

/** @param {http.IncomingMessage} req */
const upstreamOptions = (req) => ({
  host: gateway.hostname,
  port: gateway.port,
  method: req.method,
  path: req.url,
  headers: { ...req.headers, host: gateway.host },
});

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://dev");
  if (
    proxied.some((prefix) => url.pathname === prefix.replace(/\/$/, "") || url.pathname.startsWith(prefix))
  ) {
    const upstream = http.request(upstreamOptions(req), (reply) => {
      res.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.pipe(res);
    });
    upstream.on("error", () => {
      res.writeHead(502, { "content-type": "text/plain; charset=utf-8" });
      res.end(`Passerelle injoignable (${gateway.origin}) : lancez npm start.`);
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
    res.writeHead(200, {
      "content-type":
        TYPES[/** @type {keyof typeof TYPES} */ (path.extname(file))] ?? "application/octet-stream",
    });
    stream.pipe(res);
  });
});

server.on("upgrade", (req, socket, head) => {
  const upstream = http.request(upstreamOptions(req));
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

server.listen(Number(portArg), () =>
  console.log(`${path.basename(appDir)} (development): http://localhost:${portArg}/`),
);
