import type { EntityManager } from "@mikro-orm/mongodb";
import { Ticket } from "../../src/access/ticket.entity";
import { Login } from "../../src/auth/login.entity";
import { hashPassword } from "../../src/auth/passwords";
import { ShowEvent } from "../../src/catalog/event.entity";
import { ControlMode, Performance } from "../../src/catalog/performance.entity";
import { Venue } from "../../src/catalog/venue.entity";
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

  /**
   * A performance on now (started an hour ago, ends in `hours`), under the PDA box, with its
   * venue, event and tickets; the performance's revision is past every ticket's.
   */
  async performance(
    institution: Institution,
    tickets: Partial<Ticket>[],
    options: Partial<Performance> & { hours?: number } = {},
  ): Promise<Performance> {
    const em = this.em();
    const { hours = 3, ...fields } = options;
    const venue = em.create(Venue, { institutionId: institution._id, name: "Lieu" });
    const event = em.create(ShowEvent, {
      institutionId: institution._id,
      venueId: venue._id,
      name: "Spectacle",
      searchName: "spectacle",
    });
    const now = Date.now();
    const performance = em.create(Performance, {
      institutionId: institution._id,
      venueId: venue._id,
      eventId: event._id,
      startsAt: new Date(now - 3600_000),
      endsAt: new Date(now + hours * 3600_000),
      controlEnabled: true,
      controlMode: ControlMode.single,
      purgeAfter: new Date(now + 1e11),
      revision: tickets.length,
      ...fields,
    });
    for (const [i, ticket] of tickets.entries()) {
      em.create(Ticket, { barcode: `T${i}`, revision: i + 1, ...ticket, performanceId: performance._id });
    }
    await em.flush();
    return performance;
  }
}

let scanSequence = 0;

/** One scan as a device uploads it to `recordScans`: an entry, now, in Paris, unless patched. */
export function scanUpload(
  performance: { id: string },
  barcode: string,
  patch: Record<string, unknown> = {},
) {
  return {
    clientScanId: `scan-${++scanSequence}-${barcode}`.slice(0, 64),
    performanceId: performance.id,
    barcode,
    direction: "in",
    scannedAt: new Date().toISOString(),
    timeZone: "Europe/Paris",
    ...patch,
  };
}
