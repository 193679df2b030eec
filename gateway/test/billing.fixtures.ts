import type { Login } from "../src/auth/login.entity";
import { BillingService } from "../src/billing";
import type { Institution } from "../src/institutions/institution.entity";
import { Fixtures } from "./support/fixtures";
import type { TestGateway } from "./support/test-gateway";

export interface BillingWorld {
  /** Branch A: a main institution and a sub-institution (with a `;` in its name, for the CSV). */
  mainA: Institution;
  subA: Institution;
  /** Branch B: another customer. */
  mainB: Institution;
  scanA1: Login;
  scanA2: Login;
  scanB1: Login;
  /** Records imports the way the device-import path will: a service on its own fork. */
  billing(): BillingService;
}

/**
 * People of two branches (masters, an admin, a back-office user, scanner users) and their usage
 * in 2024: March for both branches, April for branch A. Logins' password: FIXTURE_PASSWORD.
 */
export async function seedBillingWorld(t: TestGateway): Promise<BillingWorld> {
  const fx = new Fixtures(t);
  const mainA = await fx.institution("Théâtre du Nord");
  const subA = await fx.institution("Salle annexe; côté jardin", mainA);
  const mainB = await fx.institution("Piscine Sud");
  const all = { admin: true, backoffice: true, scanner: true };
  await fx.login("master-a", mainA, { masterOf: mainA, member: all });
  await fx.login("master-b", mainB, { masterOf: mainB, member: all });
  await fx.login("admin-a", mainA, { member: { admin: true, backoffice: true } });
  await fx.login("backoffice-a", mainA, { member: { backoffice: true } });
  const scanA1 = await fx.login("scan-a1", mainA, { member: { scanner: true } });
  const scanA2 = await fx.login("scan-a2", mainA, { member: { scanner: true } });
  const scanB1 = await fx.login("scan-b1", mainB, { member: { scanner: true } });
  await fx.member(scanA1, subA, { scanner: true });

  const billing = () => new BillingService(t.gateway.orm.em.fork());
  await billing().recordImport(subA._id, scanA1._id, new Date("2024-03-05T08:00:00Z"));
  await billing().recordImport(mainA._id, scanA1._id, new Date("2024-03-10T18:30:00Z"));
  await billing().recordImport(mainA._id, scanA2._id, new Date("2024-03-31T21:15:00Z")); // 23:15 in Paris
  await billing().recordImport(mainA._id, scanA1._id, new Date("2024-04-02T09:00:00Z"));
  await billing().recordImport(mainB._id, scanB1._id, new Date("2024-03-20T10:00:00Z"));
  return { mainA, subA, mainB, scanA1, scanA2, scanB1, billing };
}
