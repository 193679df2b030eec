// COUNT_COMMANDS=1: a TCP proxy between the gateway and billetix-db that counts the commands the
// gateway sends (OP_MSG, by command and collection), so a row can say how many database round
// trips one scan costs. It runs in the bench process and costs CPU there: off by default.
import net from "node:net";

export async function startCommandCounter(targetPort) {
  const counts = new Map();
  const sockets = new Set();
  const count = (msg) => {
    // OP_MSG: header (16 bytes), flagBits (4), section kind 0 (1), then the command document.
    if (msg.readInt32LE(12) !== 2013 || msg[20] !== 0) return;
    const doc = 21;
    const type = msg[doc + 4];
    const nameStart = doc + 5;
    const nameEnd = msg.indexOf(0, nameStart);
    const name = msg.toString("latin1", nameStart, nameEnd);
    let coll = "";
    if (type === 0x02) {
      const len = msg.readInt32LE(nameEnd + 1);
      coll = msg.toString("utf8", nameEnd + 5, nameEnd + 4 + len);
    }
    const key = coll ? `${name} ${coll}` : name;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, "127.0.0.1");
    sockets.add(client);
    sockets.add(upstream);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    let buf = Buffer.alloc(0);
    client.on("data", (d) => {
      upstream.write(d);
      buf = buf.length ? Buffer.concat([buf, d]) : d;
      while (buf.length >= 16) {
        const len = buf.readInt32LE(0);
        if (buf.length < len) break;
        count(buf.subarray(0, len));
        buf = buf.subarray(len);
      }
    });
    upstream.on("data", (d) => client.write(d));
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("close", end);
    upstream.on("close", end);
    client.on("error", end);
    upstream.on("error", end);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: server.address().port,
    snapshot: () => new Map(counts),
    /** Commands since `before`, per op, most frequent first. */
    since(before, ops) {
      const out = [];
      for (const [k, v] of counts) {
        const d = v - (before.get(k) ?? 0);
        if (d > 0) out.push({ command: k, count: d, perOp: d / ops });
      }
      return out.sort((a, b) => b.count - a.count);
    },
    close() {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}
