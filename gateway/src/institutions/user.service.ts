import type { ObjectId } from "@mikro-orm/mongodb";
import { AuthService } from "../auth/auth.service";
import { Login } from "../auth/login.entity";
import { assertPasswordPolicy, hashPassword, normalizeUsername } from "../auth/passwords";
import type { RequestContext } from "../common/context";
import { badInput, conflict, forbidden, notFound } from "../common/domain-error";
import { parseId } from "../common/object-id";
import type { CreateLoginInput, MembershipFlagsInput } from "./dto/institution.input";
import { Institution } from "./institution.entity";
import { InstitutionService } from "./institution.service";
import { Membership } from "./membership.entity";
import { type Actor, requireActor } from "./permissions";

/**
 * The users of institutions: logins and their memberships. Logins are never deleted (only
 * disabled); a password is set, never shown.
 *
 * Guard against escalation: one may act on a login only if one already holds every power that
 * login has (users.manage on each of its institutions, the master's branch) — otherwise an admin
 * could reset the password of someone with wider rights and log in as them.
 */
export class UserService {
  private readonly institutions: InstitutionService;

  constructor(private readonly ctx: RequestContext) {
    this.institutions = new InstitutionService(ctx);
  }

  private get actor(): Actor {
    return requireActor(this.ctx.actor);
  }

  async members(institutionId: string): Promise<Membership[]> {
    const institution = await this.institutions.get(institutionId);
    await this.actor.assert("users.manage", institution);
    return this.ctx.em.find(
      Membership,
      { institutionId: institution._id },
      { orderBy: { createdAt: "asc" } },
    );
  }

  /** Logins of the institution's branch that can be added to it ("Ajoutez des logins"). */
  async addableLogins(institutionId: string): Promise<Login[]> {
    const institution = await this.institutions.get(institutionId);
    await this.actor.assert("users.manage", institution);
    const branch = await this.institutions.get(institution.branchId);
    const branchIds = (await this.institutions.branchOf(branch)).map((i) => i._id);
    const already = (await this.ctx.em.find(Membership, { institutionId: institution._id })).map(
      (m) => m.loginId,
    );
    return this.ctx.em.find(
      Login,
      { homeInstitutionId: { $in: branchIds }, _id: { $nin: already }, isRoot: false },
      { orderBy: { username: "asc" } },
    );
  }

  async createLogin(input: CreateLoginInput): Promise<Membership> {
    const { em } = this.ctx;
    const institution = await this.institutions.get(input.institutionId);
    await this.actor.assert("users.manage", institution);
    if (institution.isRoot) throw badInput("institutionId", "Les logins de root sont créés par Billetix.");
    const username = normalizeUsername(input.username);
    assertPasswordPolicy(input.password);
    assertFlags(input.flags);
    if (await em.findOne(Login, { username }))
      throw conflict(`Le login « ${username} » existe déjà.`, "username");
    const login = em.create(Login, {
      username,
      displayName: input.displayName?.trim() || undefined,
      passwordHash: await hashPassword(input.password),
      homeInstitutionId: institution._id,
    });
    const membership = em.create(Membership, {
      institutionId: institution._id,
      loginId: login._id,
      ...pickFlags(input.flags),
    });
    await em.flush();
    return membership;
  }

  async addMember(institutionId: string, loginId: string, flags: MembershipFlagsInput): Promise<Membership> {
    const { em } = this.ctx;
    const institution = await this.institutions.get(institutionId);
    await this.actor.assert("users.manage", institution);
    const login = await this.getLogin(loginId);
    const home = await this.institutions.get(login.homeInstitutionId);
    if (login.isRoot || !home.branchId.equals(institution.branchId)) {
      throw badInput(
        "loginId",
        "Seuls les logins de la même branche peuvent être ajoutés à cette institution.",
      );
    }
    assertFlags(flags);
    if (await em.findOne(Membership, { institutionId: institution._id, loginId: login._id })) {
      throw conflict(`Le login « ${login.username} » fait déjà partie de cette institution.`, "loginId");
    }
    const membership = em.create(Membership, {
      institutionId: institution._id,
      loginId: login._id,
      ...pickFlags(flags),
    });
    await em.flush();
    return membership;
  }

  async updateMembership(
    institutionId: string,
    loginId: string,
    flags: MembershipFlagsInput,
  ): Promise<Membership> {
    const membership = await this.managedMembership(institutionId, loginId);
    assertFlags(flags);
    Object.assign(membership, pickFlags(flags));
    await this.ctx.em.flush();
    return membership;
  }

  /** Takes the login out of the institution; the login itself stays (logins are never deleted). */
  async removeMember(institutionId: string, loginId: string): Promise<boolean> {
    const membership = await this.managedMembership(institutionId, loginId);
    await this.ctx.em.removeAndFlush(membership);
    return true;
  }

  async setPassword(loginId: string, password: string): Promise<Login> {
    const login = await this.getLogin(loginId);
    await this.assertCanManageLogin(login);
    assertPasswordPolicy(password);
    login.passwordHash = await hashPassword(password);
    await this.ctx.em.flush();
    // Every session of that login ends, except the one making the change.
    const own = login._id.equals(this.actor.login._id) ? this.ctx.session : undefined;
    await this.auth().endSessionsOf(login, own);
    return login;
  }

  async setDisabled(loginId: string, disabled: boolean): Promise<Login> {
    const login = await this.getLogin(loginId);
    if (login._id.equals(this.actor.login._id))
      throw badInput("loginId", "Vous ne pouvez pas désactiver votre propre login.");
    await this.assertCanManageLogin(login);
    login.disabled = disabled;
    await this.ctx.em.flush();
    if (disabled) await this.auth().endSessionsOf(login);
    return login;
  }

  /** Root only. A master belongs to one branch: the login's own. */
  async grantMaster(loginId: string, institutionId: string): Promise<Login> {
    this.actor.assertRoot("accorder le statut de master");
    const login = await this.getLogin(loginId);
    const institution = await this.institutions.get(institutionId);
    if (institution.isRoot || login.isRoot)
      throw badInput("institutionId", "Le statut de master porte sur une branche client.");
    const home = await this.institutions.get(login.homeInstitutionId);
    if (!home.isWithin(institution._id) && !institution.isWithin(home._id)) {
      throw badInput("loginId", "Un master ne peut appartenir qu'à une seule branche : celle de son login.");
    }
    login.masterOfId = institution._id;
    await this.ctx.em.flush();
    return login;
  }

  async revokeMaster(loginId: string): Promise<Login> {
    this.actor.assertRoot("retirer le statut de master");
    const login = await this.getLogin(loginId);
    login.masterOfId = undefined;
    await this.ctx.em.flush();
    return login;
  }

  private async getLogin(loginId: string | ObjectId): Promise<Login> {
    const _id = typeof loginId === "string" ? parseId(loginId, "loginId") : loginId;
    const login = await this.ctx.em.findOne(Login, { _id });
    if (!login) throw notFound("Login");
    return login;
  }

  /** The membership to change, if the actor manages that institution and not their own rights. */
  private async managedMembership(institutionId: string, loginId: string): Promise<Membership> {
    const institution = await this.institutions.get(institutionId);
    await this.actor.assert("users.manage", institution);
    const login = await this.getLogin(loginId);
    const isSelf = login._id.equals(this.actor.login._id);
    if (isSelf && !this.actor.isRoot && !this.actor.isMasterOf(institution)) {
      throw forbidden("modifier vos propres droits");
    }
    if (!isSelf) await this.assertCanManageLogin(login);
    const membership = await this.ctx.em.findOne(Membership, {
      institutionId: institution._id,
      loginId: login._id,
    });
    if (!membership) throw notFound("Membre de l'institution");
    return membership;
  }

  private async assertCanManageLogin(login: Login): Promise<void> {
    const actor = this.actor;
    if (actor.isRoot) return;
    if (login.isRoot) throw forbidden("modifier ce login");
    if (login.masterOfId) {
      const branch = await this.institutions.get(login.masterOfId);
      if (!actor.isMasterOf(branch)) throw forbidden("modifier ce login");
    }
    const memberships = await this.ctx.em.find(Membership, { loginId: login._id });
    const places =
      memberships.length > 0 ? memberships.map((m) => m.institutionId) : [login.homeInstitutionId];
    const institutions = await this.ctx.em.find(Institution, { _id: { $in: places } });
    for (const institution of institutions) {
      if (!(await actor.can("users.manage", institution))) throw forbidden("modifier ce login");
    }
  }

  private auth(): AuthService {
    return new AuthService(this.ctx.em, this.ctx.app.clock, this.ctx.app.throttle);
  }
}

function assertFlags(flags: MembershipFlagsInput): void {
  if (flags.admin && !flags.backoffice) {
    throw badInput(
      "flags.admin",
      "Pour être admin d'une institution, l'accès au back office est obligatoire.",
    );
  }
}

function pickFlags(flags: MembershipFlagsInput) {
  return {
    admin: Boolean(flags.admin),
    backoffice: Boolean(flags.backoffice),
    scanner: Boolean(flags.scanner),
  };
}
