import os from "node:os";
import type { Document } from "bson";
import { MAX_BSON_OBJECT_SIZE, MAX_MESSAGE_SIZE } from "../wire/message";
import type { CommandHandler } from "./command-context";

/** Wire versions 0–21 (MongoDB 7.0): the overlap of the driver 6.x and 7.x copies in the tree. */
export const MAX_WIRE_VERSION = 21;
const VERSION = "7.0.0";

/**
 * The handshake answer. No `setName`: the driver sees a standalone (no `replicaSet=` in URIs).
 * No `topologyVersion`: that would switch the driver to streaming hello, which we don't do.
 */
const hello: CommandHandler = (command, ctx) => ({
  ...(command.helloOk === true ? { helloOk: true } : {}),
  ismaster: true,
  isWritablePrimary: true,
  maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
  maxMessageSizeBytes: MAX_MESSAGE_SIZE,
  maxWriteBatchSize: 100_000,
  localTime: new Date(),
  logicalSessionTimeoutMinutes: 30,
  connectionId: ctx.connectionId,
  minWireVersion: 0,
  maxWireVersion: MAX_WIRE_VERSION,
  readOnly: false,
  ok: 1,
});

const buildInfo: CommandHandler = () => ({
  version: VERSION,
  gitVersion: "billetix-embedded",
  versionArray: [7, 0, 0, 0],
  bits: 64,
  debug: false,
  maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
  storageEngines: ["billetix-journal"],
  modules: [],
  ok: 1,
});

const serverStatus: CommandHandler = (_command, ctx) => ({
  host: `${ctx.server.host}:${ctx.server.port}`,
  version: VERSION,
  process: "billetix-db",
  pid: process.pid,
  uptime: Math.floor((Date.now() - ctx.server.startedAt.getTime()) / 1000),
  localTime: new Date(),
  storageEngine: { name: "billetix-journal", persistent: true },
  billetix: { storage: ctx.engine.storageStats(), openCursors: ctx.cursors.size },
  ok: 1,
});

const dbStats: CommandHandler = (_command, ctx) => {
  const colls = ctx.engine.collections(ctx.db);
  return {
    db: ctx.db,
    collections: colls.length,
    views: 0,
    objects: colls.reduce((n, c) => n + c.docs.size, 0),
    indexes: colls.reduce((n, c) => n + c.indexSpecs().length, 0),
    ok: 1,
  };
};

const ok =
  (extra: Document = {}): CommandHandler =>
  () => ({ ...extra, ok: 1 });

export const adminCommands: Record<string, CommandHandler> = {
  hello,
  ismaster: hello,
  isMaster: hello,
  buildInfo,
  buildinfo: buildInfo,
  serverStatus,
  dbStats,
  ping: ok(),
  endSessions: ok(),
  refreshSessions: ok(),
  hostInfo: () => ({
    system: {
      hostname: os.hostname(),
      numCores: os.cpus().length,
      memSizeMB: Math.round(os.totalmem() / 1048576),
    },
    os: { type: os.type(), name: os.platform(), version: os.release() },
    ok: 1,
  }),
  getCmdLineOpts: () => ({ argv: process.argv.slice(1), parsed: {}, ok: 1 }),
  getParameter: (command) =>
    command.featureCompatibilityVersion
      ? { featureCompatibilityVersion: { version: "7.0" }, ok: 1 }
      : { ok: 1 },
  getLog: () => ({ log: [], totalLinesWritten: 0, ok: 1 }),
  connectionStatus: ok({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] } }),
  whatsmyuri: (_c, ctx) => ({ you: `${ctx.server.host}:0`, ok: 1 }),
  getFreeMonitoringStatus: ok({ state: "disabled" }),
  atlasVersion: () => ({ ok: 0, errmsg: "not Atlas", code: 59, codeName: "CommandNotFound" }),
};
