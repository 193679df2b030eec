import type { EntityManager } from "@mikro-orm/mongodb";
import { Login } from "../../src/auth/login.entity";
import { hashPassword } from "../../src/auth/passwords";
import { Institution } from "../../src/institutions/institution.entity";
import { Membership } from "../../src/institutions/membership.entity";
import type { TestGateway } from "./test-gateway";

export const FIXTURE_PASSWORD = "fixture-password";

/**
 * Writes people and institutions straight to the database, for tests about something else
 * (the institution and user mutations have tests of their own).
 */
export class Fixtures {
  constructor(private readonly t: TestGateway) {}

  private em(): EntityManager {
    return this.t.gateway.orm.em.fork();
  }

  async root(): Promise<Institution> {
    return this.em().findOneOrFail(Institution, { depth: 0 });
  }

  async institution(name: string, parent?: Institution): Promise<Institution> {
    const em = this.em();
    const p = parent ?? (await em.findOneOrFail(Institution, { depth: 0 }));
    const institution = em.create(Institution, {
      name,
      parentId: p._id,
      ancestors: [...p.ancestors, p._id],
      depth: p.depth + 1,
    });
    await em.flush();
    return institution;
  }

  async login(
    username: string,
    home: Institution,
    options: {
      masterOf?: Institution;
      member?: Partial<Pick<Membership, "admin" | "backoffice" | "scanner">>;
    } = {},
  ): Promise<Login> {
    const em = this.em();
    const login = em.create(Login, {
      username,
      passwordHash: await hashPassword(FIXTURE_PASSWORD),
      homeInstitutionId: home._id,
      masterOfId: options.masterOf?._id,
    });
    if (options.member) {
      em.create(Membership, { institutionId: home._id, loginId: login._id, ...options.member });
    }
    await em.flush();
    return login;
  }

  async member(
    login: Login,
    institution: Institution,
    flags: Partial<Pick<Membership, "admin" | "backoffice" | "scanner">>,
  ) {
    const em = this.em();
    em.create(Membership, { institutionId: institution._id, loginId: login._id, ...flags });
    await em.flush();
  }
}
