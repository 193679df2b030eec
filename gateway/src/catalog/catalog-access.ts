import type { ObjectId } from "@mikro-orm/mongodb";
import type { RequestContext } from "../common/context";
import { notFound } from "../common/domain-error";
import { parseId } from "../common/object-id";
import { Institution } from "../institutions/institution.entity";
import { type InstitutionAction, requireActor } from "../institutions/permissions";

/** Loads the institution that owns a catalogue item and checks the actor may do `action` there. */
export async function assertOnInstitution(
  ctx: RequestContext,
  institutionId: ObjectId | string,
  action: InstitutionAction,
  field = "institutionId",
): Promise<Institution> {
  const id = typeof institutionId === "string" ? parseId(institutionId, field) : institutionId;
  const institution = await ctx.loaders.load(Institution, id);
  if (!institution) throw notFound("Institution");
  await requireActor(ctx.actor).assert(action, institution);
  return institution;
}
