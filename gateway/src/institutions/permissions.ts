import type { EntityManager, ObjectId } from "@mikro-orm/mongodb";
import type { Login } from "../auth/login.entity";
import { forbidden, unauthenticated } from "../common/domain-error";
import type { Institution } from "./institution.entity";
import { Membership } from "./membership.entity";

/**
 * What can be done in an institution. The rules (DOMAIN.md "Permissions"):
 * - root does everything;
 * - a master does everything in its branch (and creates sub-institutions there);
 * - an admin manages the users, sources and shows of its institution;
 * - a back-office user manages the shows of its institution;
 * - a scanner user scans there.
 * Granting master status is root's alone (see `assertRoot`).
 */
export type InstitutionAction =
  | "institution.view"
  | "institution.rename"
  | "institution.createChild"
  | "users.manage"
  | "sources.manage"
  | "shows.view"
  | "shows.manage"
  | "scan"
  | "billing.view";

const ACTION_LABELS: Record<InstitutionAction, string> = {
  "institution.view": "voir cette institution",
  "institution.rename": "modifier cette institution",
  "institution.createChild": "créer une sous-institution ici",
  "users.manage": "gérer les utilisateurs de cette institution",
  "sources.manage": "gérer les sources de cette institution",
  "shows.view": "voir les spectacles de cette institution",
  "shows.manage": "gérer les spectacles de cette institution",
  scan: "contrôler les billets de cette institution",
  "billing.view": "voir la facturation de cette branche",
};

type Role = "master" | "admin" | "backoffice" | "scanner";

const ALLOWED: Record<InstitutionAction, readonly Role[]> = {
  "institution.view": ["master", "admin", "backoffice", "scanner"],
  "institution.rename": ["master"],
  "institution.createChild": ["master"],
  "users.manage": ["master", "admin"],
  "sources.manage": ["master", "admin"],
  "shows.view": ["master", "admin", "backoffice"],
  "shows.manage": ["master", "admin", "backoffice"],
  scan: ["master", "scanner"],
  "billing.view": ["master"],
};

/** The logged-in person as the permission rules see them; memberships are loaded once per request. */
export class Actor {
  private memberships?: Promise<Map<string, Membership>>;

  constructor(
    readonly login: Login,
    private readonly em: EntityManager,
  ) {}

  get isRoot(): boolean {
    return this.login.isRoot;
  }

  isMasterOf(institution: Institution): boolean {
    const masterOf = this.login.masterOfId;
    return masterOf !== undefined && institution.isWithin(masterOf);
  }

  /** The login's membership in that institution, if any. */
  async membershipIn(institutionId: ObjectId): Promise<Membership | undefined> {
    return (await this.loadMemberships()).get(institutionId.toHexString());
  }

  /** Reads the login's memberships once per request; call it early to read them alongside other work. */
  loadMemberships(): Promise<Map<string, Membership>> {
    this.memberships ??= this.em
      .find(Membership, { loginId: this.login._id })
      .then((list) => new Map(list.map((m) => [m.institutionId.toHexString(), m])));
    return this.memberships;
  }

  async rolesIn(institution: Institution): Promise<Set<Role>> {
    const roles = new Set<Role>();
    if (this.isRoot || this.isMasterOf(institution)) roles.add("master");
    const membership = await this.membershipIn(institution._id);
    if (membership?.admin && membership.backoffice) roles.add("admin");
    if (membership?.backoffice) roles.add("backoffice");
    if (membership?.scanner) roles.add("scanner");
    return roles;
  }

  async can(action: InstitutionAction, institution: Institution): Promise<boolean> {
    if (this.isRoot) return true;
    const roles = await this.rolesIn(institution);
    return ALLOWED[action].some((role) => roles.has(role));
  }

  async assert(action: InstitutionAction, institution: Institution): Promise<void> {
    if (!(await this.can(action, institution))) throw forbidden(ACTION_LABELS[action]);
  }

  assertRoot(what: string): void {
    if (!this.isRoot) throw forbidden(what);
  }

  /** Ids of the institutions this login can see at all: a query filter, never a list to scan. */
  visibleInstitutionsFilter(memberOf: ObjectId[]): Record<string, unknown> {
    if (this.isRoot) return {};
    const or: Record<string, unknown>[] = [{ _id: { $in: memberOf } }];
    if (this.login.masterOfId) or.push({ _id: this.login.masterOfId }, { ancestors: this.login.masterOfId });
    return { $or: or };
  }
}

export function requireActor(actor: Actor | null): Actor {
  if (!actor) throw unauthenticated();
  return actor;
}
