import type { EntityManager } from "@mikro-orm/mongodb";
import type { Login } from "../auth/login.entity";
import { Actor } from "../institutions/permissions";
import type { AppDeps, RequestContext } from "./context";
import { Loaders } from "./loaders";

/** A request context for work done by the system as a given login (the demo seeder, jobs). */
export function systemContext(em: EntityManager, login: Login, app: AppDeps): RequestContext {
  return { em, actor: new Actor(login, em), ip: "127.0.0.1", loaders: new Loaders(em), app };
}
