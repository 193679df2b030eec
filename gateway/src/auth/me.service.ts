import type { RequestContext } from "../common/context";
import { DomainError, notFound } from "../common/domain-error";
import { parseId } from "../common/object-id";
import { Institution } from "../institutions/institution.entity";
import { Membership } from "../institutions/membership.entity";
import type { Actor } from "../institutions/permissions";
import { AuthService } from "./auth.service";
import { assertPasswordPolicy, hashPassword, verifyPassword } from "./passwords";

export class MeService {
  constructor(private readonly ctx: RequestContext) {}

  async describe(actor: Actor) {
    const { em, loaders } = this.ctx;
    const login = actor.login;
    const memberships = await em.find(Membership, { loginId: login._id }, { orderBy: { createdAt: "asc" } });
    let lastInstitution = login.lastInstitutionId
      ? await loaders.load(Institution, login.lastInstitutionId)
      : undefined;
    // Reopen only where the login may still go.
    if (lastInstitution && !(await actor.can("institution.view", lastInstitution)))
      lastInstitution = undefined;
    lastInstitution ??= memberships[0]
      ? await loaders.load(Institution, memberships[0].institutionId)
      : undefined;
    const masterOf = login.masterOfId ? await loaders.load(Institution, login.masterOfId) : undefined;
    return { login, memberships, lastInstitution: lastInstitution ?? masterOf, masterOf };
  }

  async switchInstitution(actor: Actor, institutionId: string): Promise<Institution> {
    const institution = await this.ctx.em.findOne(Institution, {
      _id: parseId(institutionId, "institutionId"),
    });
    if (!institution) throw notFound("Institution");
    await actor.assert("institution.view", institution);
    actor.login.lastInstitutionId = institution._id;
    await this.ctx.em.flush();
    return institution;
  }

  async changeMyPassword(actor: Actor, currentPassword: string, newPassword: string): Promise<void> {
    if (!(await verifyPassword(actor.login.passwordHash, currentPassword))) {
      throw new DomainError(
        "INVALID_CREDENTIALS",
        "Le mot de passe actuel est incorrect.",
        "currentPassword",
      );
    }
    assertPasswordPolicy(newPassword, "newPassword");
    actor.login.passwordHash = await hashPassword(newPassword);
    await this.ctx.em.flush();
    await new AuthService(this.ctx.em, this.ctx.app.clock, this.ctx.app.throttle).endSessionsOf(
      actor.login,
      this.ctx.session,
    );
  }
}
