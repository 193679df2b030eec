import type { EntityManager } from "@mikro-orm/mongodb";
import { Login } from "../auth/login.entity";
import type { AppDeps } from "../common/context";
import { systemContext } from "../common/system-context";
import { Institution } from "../institutions/institution.entity";
import { InstitutionService } from "../institutions/institution.service";
import { UserService } from "../institutions/user.service";
import { seedDemoCatalog } from "./seed-demo-catalog";

export const DEMO_PASSWORD = "demo-billetix";
export const DEMO_CUSTOMER = "Théâtre des Lumières (démo)";

export interface DemoSummary {
  created: boolean;
  logins: { username: string; role: string }[];
}

/**
 * Fills a demo customer through the same services the API uses (so every rule applies):
 * a main institution with its master, a sub-institution, users with each kind of rights,
 * a venue, events, dated and undated performances with tickets. Does nothing if it exists.
 */
export async function seedDemo(em: EntityManager, app: AppDeps): Promise<DemoSummary> {
  const logins = [
    { username: "demo-master", role: "master de la branche" },
    { username: "demo-admin", role: "admin du théâtre" },
    { username: "demo-guichet", role: "back office du théâtre" },
    { username: "demo-controle", role: "contrôle (scanner) du théâtre et de la salle Vilar" },
  ];
  if (await em.findOne(Institution, { name: DEMO_CUSTOMER, depth: 1 })) return { created: false, logins };

  const root = await em.findOneOrFail(Login, { username: "root" });
  const asRoot = systemContext(em, root, app);
  const rootInstitution = await em.findOneOrFail(Institution, { depth: 0 });
  const theatre = await new InstitutionService(asRoot).create({
    parentId: rootInstitution.id,
    name: DEMO_CUSTOMER,
    master: { username: "demo-master", password: DEMO_PASSWORD, displayName: "Camille Martin" },
  });

  const master = await em.findOneOrFail(Login, { username: "demo-master" });
  const asMaster = systemContext(em, master, app);
  const vilar = await new InstitutionService(asMaster).create({
    parentId: theatre.id,
    name: "Salle Jean Vilar",
  });
  const users = new UserService(asMaster);
  const user = (
    username: string,
    displayName: string,
    flags: { admin: boolean; backoffice: boolean; scanner: boolean },
  ) =>
    users.createLogin({ institutionId: theatre.id, username, password: DEMO_PASSWORD, displayName, flags });
  await user("demo-admin", "Nadia Benali", { admin: true, backoffice: true, scanner: true });
  await user("demo-guichet", "Louis Petit", { admin: false, backoffice: true, scanner: false });
  const controle = await user("demo-controle", "Inès Moreau", {
    admin: false,
    backoffice: false,
    scanner: true,
  });
  await users.addMember(vilar.id, controle.loginId.toHexString(), {
    admin: false,
    backoffice: false,
    scanner: true,
  });

  await seedDemoCatalog(asMaster, theatre, vilar);
  return { created: true, logins };
}
