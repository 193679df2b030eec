import "reflect-metadata";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { expressMiddleware } from "@as-integrations/express5";
import { ApolloArmor } from "@escape.tech/graphql-armor";
import express from "express";
import type { GraphQLError, GraphQLSchema } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import helmet from "helmet";
import pino, { type Logger } from "pino";
import { WebSocketServer } from "ws";
import { AuthService, SESSION_CACHE_TTL_MS } from "./auth/auth.service";
import { LoginThrottle } from "./auth/login-throttle";
import { SessionSockets } from "./auth/session-sockets";
import { sessionToken } from "./auth/session-tokens";
import { ensureRootLogin } from "./bootstrap";
import { type Clock, systemClock } from "./common/clock";
import type { AppDeps, RequestContext } from "./common/context";
import { formatError } from "./common/error-format";
import { Loaders } from "./common/loaders";
import { WatchedCache } from "./common/watched-cache";
import type { GatewayConfig } from "./config";
import { connectOrm, type Orm } from "./db/orm";
import { mountHttpRoutes } from "./http-routes";
import { Actor } from "./institutions/permissions";
import { AgendaScheduler } from "./jobs/agenda-scheduler";
import { InlineScheduler } from "./jobs/inline-scheduler";
import type { JobDeps, JobScheduler } from "./jobs/job-scheduler";
import { scheduleRecurringJobs } from "./jobs/recurring-jobs";
import { COUNTERS_FIELDS, TICKET_CHANGE_FIELDS, toCountersUpdate, toTicketChange } from "./live/live-updates";
import { PerformanceFeed } from "./live/performance-feed";
import { buildGatewaySchema } from "./schema";
import { ConnectorRegistry } from "./sources/connector-registry";
import { SourceSyncs } from "./sources/source-syncs";
import { locateWebApps, mountWebApps } from "./web";

export interface GatewayOptions {
  config: GatewayConfig;
  log?: Logger;
  clock?: Clock;
  /** "inline" runs jobs only when a test says so. */
  jobs?: "agenda" | "inline";
  /** The source types; default: the connector packages installed, as configured. */
  connectors?: ConnectorRegistry;
  /** Emit the driver's command events (tests count database round-trips with them). */
  monitorCommands?: boolean;
}

export interface Gateway {
  url: string;
  port: number;
  orm: Orm;
  deps: AppDeps;
  /** The password generated for `root` when the database was empty and none was configured. */
  generatedRootPassword?: string;
  stop(): Promise<void>;
}

/** Builds and starts everything a gateway is, on an already running database. */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const { config } = options;
  const log =
    options.log ??
    pino({ level: config.logLevel, redact: ["req.headers.cookie", "req.headers.authorization"] });
  const clock = options.clock ?? systemClock;
  if (!config.mongoUri)
    throw new Error("startGateway needs config.mongoUri (main.ts launches the embedded database)");

  const orm = await connectOrm(
    config.mongoUri,
    config.dbName,
    log,
    options.monitorCommands ? { driverOptions: { monitorCommands: true } } : {},
  );
  try {
    return await startOnDatabase(orm, config, log, clock, options.jobs, options.connectors);
  } catch (err) {
    await orm.close(true);
    throw err;
  }
}

async function startOnDatabase(
  orm: Orm,
  config: GatewayConfig,
  log: Logger,
  clock: Clock,
  jobsDriver: GatewayOptions["jobs"],
  givenConnectors: ConnectorRegistry | undefined,
): Promise<Gateway> {
  const client = orm.em.getDriver().getConnection().getClient();
  const jobDeps = (): JobDeps => ({ em: orm.em.fork(), clock, log });
  const jobs: JobScheduler =
    jobsDriver === "inline" || !config.runJobs
      ? new InlineScheduler(jobDeps)
      : new AgendaScheduler(client.db(config.dbName), jobDeps);
  const db = client.db(config.dbName);
  const counters = new PerformanceFeed(db, "performance", "_id", toCountersUpdate, log, COUNTERS_FIELDS);
  const ticketChanges = new PerformanceFeed(
    db,
    "ticket",
    "performanceId",
    toTicketChange,
    log,
    TICKET_CHANGE_FIELDS,
  );
  const remembered = {
    sessions: new WatchedCache(db, "session", log, SESSION_CACHE_TTL_MS),
    logins: new WatchedCache(db, "login", log, SESSION_CACHE_TTL_MS),
    devices: new WatchedCache(db, "device", log),
    institutions: new WatchedCache(db, "institution", log),
  };
  for (const cache of Object.values(remembered)) cache.start();
  const connectors = givenConnectors ?? ConnectorRegistry.load(config.connectors);
  for (const { packageName, reason } of connectors.refused)
    log.error({ packageName }, `connector package refused: ${reason}`);
  log.info(
    { connectors: connectors.list().map((c) => `${c.packageName}@${c.version}`) },
    "source types loaded",
  );
  const sourceSyncs = new SourceSyncs(
    jobs,
    () => client.db(config.dbName),
    connectors,
    config.sourceImports,
    jobs instanceof InlineScheduler ? undefined : { log, clock },
  );
  const deps: AppDeps = {
    config,
    log,
    clock,
    throttle: new LoginThrottle(client, config.dbName),
    jobs,
    connectors,
    sourceSyncs,
    counters,
    ticketChanges,
    remembered,
  };

  const generatedRootPassword = await ensureRootLogin(orm.em.fork(), config.rootPassword, log);
  await scheduleRecurringJobs(jobs);
  await sourceSyncs.schedule();

  const schema = await buildGatewaySchema();
  const sessionSockets = new SessionSockets(client.db(config.dbName), log);
  await sessionSockets.start();

  const contextFor = async (
    token: string | undefined,
    ip: string,
    userAgent: string | undefined,
    http?: Pick<RequestContext, "req" | "res">,
  ): Promise<RequestContext> => {
    const em = orm.em.fork();
    const auth = await new AuthService(em, clock, deps.throttle, remembered).authenticate(token);
    return {
      em,
      actor: auth ? new Actor(auth.login, em) : null,
      session: auth?.session,
      ip,
      userAgent,
      loaders: new Loaders(em),
      app: deps,
      ...http,
    };
  };

  const app = express();
  app.disable("x-powered-by");
  // API replies are never conditional GETs: hashing every JSON body for an ETag is wasted work.
  app.set("etag", false);
  app.set("trust proxy", process.env.TRUST_PROXY ?? "loopback");
  app.use(helmet({ contentSecurityPolicy: { directives: contentSecurityPolicy(config.secureCookies) } }));
  const httpServer = createServer(app);
  // Doors keep their connection between uploads, and load balancers keep theirs ~60 s: closing an
  // idle connection sooner races a request sent on it (ECONNRESET on the device).
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;
  const wsServer = new WebSocketServer({ server: httpServer, path: "/graphql" });
  const wsCleanup = useWebSockets(schema, wsServer, contextFor, sessionSockets, formatError(log));

  const armor = new ApolloArmor({
    maxDepth: { n: 10 },
    costLimit: { maxCost: 5000 },
    maxAliases: { n: 20 },
    maxDirectives: { n: 20 },
    maxTokens: { n: 2000 },
  }).protect();
  const apollo = new ApolloServer<RequestContext>({
    schema,
    ...armor,
    csrfPrevention: true,
    // main.ts handles the signals and stops everything in order.
    stopOnTerminationSignals: false,
    formatError: formatError(log),
    plugins: [
      ...armor.plugins,
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // No cache hints anywhere: its default install wraps every field resolver for nothing.
      ApolloServerPluginCacheControlDisabled(),
      { serverWillStart: async () => ({ drainServer: async () => wsCleanup.dispose() }) },
      requestLogPlugin(log),
    ],
  });
  await apollo.start();

  mountHttpRoutes(app, { orm, deps, contextFor });
  app.use(
    "/graphql",
    express.json({ limit: "2mb" }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) =>
        contextFor(sessionToken(req), req.ip ?? "", req.get("user-agent"), { req, res }),
    }),
  );
  // Last: the web apps answer what the API routes did not.
  mountWebApps(app, locateWebApps(config.webRoot), log);

  await jobs.start();
  await new Promise<void>((resolve) => httpServer.listen(config.port, config.host, resolve));
  const port = (httpServer.address() as AddressInfo).port;
  const url = `http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${port}/graphql`;
  log.info({ url }, "gateway listening");

  return {
    url,
    port,
    orm,
    deps,
    generatedRootPassword,
    stop: async () => {
      await jobs.stop();
      await sourceSyncs.drain();
      await apollo.stop();
      await sessionSockets.stop();
      for (const cache of Object.values(remembered)) await cache.stop();
      await counters.stop();
      await ticketChanges.stop();
      await closeServer(httpServer);
      await orm.close(true);
    },
  };
}

function useWebSockets(
  schema: GraphQLSchema,
  wsServer: WebSocketServer,
  contextFor: (token: string | undefined, ip: string, ua: string | undefined) => Promise<RequestContext>,
  sessionSockets: SessionSockets,
  format: ReturnType<typeof formatError>,
) {
  const formatResult = <R extends { errors?: readonly GraphQLError[] }>(result: R) =>
    result.errors ? { ...result, errors: result.errors.map((e) => format(e.toJSON(), e)) } : result;
  return useServer<{ authorization?: string }, { token?: string }>(
    {
      schema,
      // The same error shapes over WebSocket as over HTTP.
      onNext: (_ctx, _id, _payload, _args, result) => formatResult(result),
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => format(e.toJSON(), e) as GraphQLError),
      onConnect: (ctx) => {
        const params = ctx.connectionParams?.authorization;
        const fromParams =
          typeof params === "string" && params.startsWith("Bearer ") ? params.slice(7) : undefined;
        ctx.extra.token = fromParams ?? sessionToken(ctx.extra.request);
        return true;
      },
      context: async (ctx) => {
        const request = ctx.extra.request;
        const context = await contextFor(
          ctx.extra.token,
          request.socket.remoteAddress ?? "",
          request.headers["user-agent"],
        );
        if (context.session) {
          const socket = ctx.extra.socket;
          sessionSockets.register(context.session._id.toHexString(), socket);
        }
        return context;
      },
    },
    wsServer,
  );
}

function requestLogPlugin(log: Logger) {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse(rc: {
          operationName?: string | null;
          errors?: readonly { extensions?: { code?: unknown } }[];
        }) {
          const ms = Number(process.hrtime.bigint() - started) / 1e6;
          // Never the variables: they carry passwords.
          log.info(
            {
              operation: rc.operationName ?? undefined,
              ms: Math.round(ms),
              errors: rc.errors?.map((e) => e.extensions?.code),
            },
            "graphql",
          );
        },
      };
    },
  };
}

/** `httpsOnly`: behind HTTPS; over plain HTTP (a LAN), upgrading the web apps' requests would break them. */
function contentSecurityPolicy(httpsOnly: boolean) {
  return {
    upgradeInsecureRequests: httpsOnly ? [] : null,
    defaultSrc: ["'self'"],
    connectSrc: ["'self'", "ws:", "wss:"],
    imgSrc: ["'self'", "data:", "blob:"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    scriptSrc: ["'self'"],
    workerSrc: ["'self'"],
    mediaSrc: ["'self'", "blob:"],
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
