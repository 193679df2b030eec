import { MikroORM, MongoDriver, type Options } from "@mikro-orm/mongodb";
import type { Logger } from "pino";
import { ENTITIES } from "../entities";

export type Orm = Awaited<ReturnType<typeof MikroORM.init<MongoDriver>>>;

/** Connects MikroORM (the ordinary `mongodb` driver underneath) and makes sure every index exists. */
export async function connectOrm(
  clientUrl: string,
  dbName: string,
  log: Logger,
  extra: Partial<Options> = {},
): Promise<Orm> {
  const orm = await MikroORM.init<MongoDriver>({
    driver: MongoDriver,
    clientUrl,
    dbName,
    entities: ENTITIES,
    // Every operation works on its own fork, carried in the request context.
    allowGlobalContext: false,
    ensureIndexes: false,
    implicitTransactions: false,
    debug: false,
    logger: (message) => log.debug({ orm: message }),
    ...extra,
  });
  await orm.schema.ensureIndexes();
  return orm;
}
