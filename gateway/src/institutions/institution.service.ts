import type { ObjectId } from "@mikro-orm/mongodb";
import { Login } from "../auth/login.entity";
import { assertPasswordPolicy, hashPassword, normalizeUsername } from "../auth/passwords";
import type { RequestContext } from "../common/context";
import { badInput, conflict, notFound } from "../common/domain-error";
import { parseId } from "../common/object-id";
import { cleanName } from "../common/text";
import type { CreateInstitutionInput } from "./dto/institution.input";
import { Institution } from "./institution.entity";
import { Membership } from "./membership.entity";
import { type Actor, requireActor } from "./permissions";

export class InstitutionService {
  constructor(private readonly ctx: RequestContext) {}

  private get actor(): Actor {
    return requireActor(this.ctx.actor);
  }

  /** Loads an institution the actor may act on, or fails (not found / forbidden). */
  async get(id: string | ObjectId, field = "institutionId"): Promise<Institution> {
    const _id = typeof id === "string" ? parseId(id, field) : id;
    const institution = await this.ctx.em.findOne(Institution, { _id });
    if (!institution) throw notFound("Institution");
    return institution;
  }

  async getVisible(id: string): Promise<Institution> {
    const institution = await this.get(id);
    await this.actor.assert("institution.view", institution);
    return institution;
  }

  /** Every institution the actor can see (for the institution picker), root first then by depth and name. */
  async listVisible(): Promise<Institution[]> {
    const actor = this.actor;
    const memberOf = (await this.ctx.em.find(Membership, { loginId: actor.login._id })).map(
      (m) => m.institutionId,
    );
    return this.ctx.em.find(Institution, actor.visibleInstitutionsFilter(memberOf), {
      orderBy: { depth: "asc", name: "asc" },
    });
  }

  /** The institution and all its descendants, in one indexed query. */
  async branchOf(institution: Institution): Promise<Institution[]> {
    return this.ctx.em.find(
      Institution,
      { $or: [{ _id: institution._id }, { ancestors: institution._id }] },
      { orderBy: { depth: "asc", name: "asc" } },
    );
  }

  /**
   * A customer's main institution (under root) is created by root with its first login, who
   * becomes its master. Sub-institutions are created by a master of the branch (or root).
   */
  async create(input: CreateInstitutionInput): Promise<Institution> {
    const { em } = this.ctx;
    const parent = await this.get(input.parentId, "parentId");
    await this.actor.assert("institution.createChild", parent);
    const name = cleanInstitutionName(input.name);
    if (await em.findOne(Institution, { parentId: parent._id, name })) {
      throw conflict(`Une institution « ${name} » existe déjà à cet endroit.`, "name");
    }
    const institution = em.create(Institution, {
      name,
      parentId: parent._id,
      ancestors: [...parent.ancestors, parent._id],
      depth: parent.depth + 1,
    });
    if (parent.isRoot) {
      if (!input.master) {
        throw badInput("master", "Une institution principale est créée avec son premier login (son master).");
      }
      const username = normalizeUsername(input.master.username, "master.username");
      assertPasswordPolicy(input.master.password, "master.password");
      if (await em.findOne(Login, { username }))
        throw conflict(`Le login « ${username} » existe déjà.`, "master.username");
      const master = em.create(Login, {
        username,
        displayName: input.master.displayName?.trim() || undefined,
        passwordHash: await hashPassword(input.master.password),
        homeInstitutionId: institution._id,
        masterOfId: institution._id,
      });
      em.create(Membership, {
        institutionId: institution._id,
        loginId: master._id,
        admin: true,
        backoffice: true,
        scanner: true,
      });
    } else if (input.master) {
      throw badInput("master", "Seule une institution principale est créée avec un master.");
    }
    // One flush: the institution and its master appear together or not at all.
    await em.flush();
    return institution;
  }

  async rename(id: string, newName: string): Promise<Institution> {
    const institution = await this.get(id);
    await this.actor.assert("institution.rename", institution);
    if (institution.isRoot) throw badInput("id", "L'institution root ne peut pas être renommée.");
    const name = cleanInstitutionName(newName);
    const sibling = await this.ctx.em.findOne(Institution, {
      parentId: institution.parentId,
      name,
      _id: { $ne: institution._id },
    });
    if (sibling) throw conflict(`Une institution « ${name} » existe déjà à cet endroit.`, "name");
    institution.name = name;
    await this.ctx.em.flush();
    return institution;
  }
}

function cleanInstitutionName(name: string): string {
  return cleanName(name, "name", 120, "Le nom de l'institution doit contenir de 1 à 120 caractères.");
}
