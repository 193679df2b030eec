import { randomBytes } from "node:crypto";
import type { EntityManager } from "@mikro-orm/mongodb";
import type { Logger } from "pino";
import { Login } from "./auth/login.entity";
import { assertPasswordPolicy, hashPassword } from "./auth/passwords";
import { Institution } from "./institutions/institution.entity";
import { Membership } from "./institutions/membership.entity";

/**
 * On an empty database: the `root` institution and the `root` login. The password is
 * BILLETIX_ROOT_PASSWORD, or a random one returned so the caller prints it once. Idempotent and
 * safe when several gateways start together (unique indexes decide).
 */
export async function ensureRootLogin(em: EntityManager, configured: string | undefined, log: Logger) {
  let root = await em.findOne(Institution, { depth: 0 });
  if (!root) {
    root = em.create(Institution, { name: "root", ancestors: [], depth: 0 });
    await em.flush();
    log.info("created the root institution");
  }
  if (await em.findOne(Login, { username: "root" })) return undefined;
  if (configured) assertPasswordPolicy(configured, "BILLETIX_ROOT_PASSWORD");
  const password = configured ?? randomBytes(12).toString("base64url");
  const login = em.create(Login, {
    username: "root",
    displayName: "Billetix",
    passwordHash: await hashPassword(password),
    isRoot: true,
    homeInstitutionId: root._id,
  });
  em.create(Membership, {
    institutionId: root._id,
    loginId: login._id,
    admin: true,
    backoffice: true,
    scanner: true,
  });
  await em.flush();
  log.info("created the root login");
  return configured ? undefined : password;
}
