import type { ObjectId } from "@mikro-orm/mongodb";
import type { RequestContext } from "../common/context";
import { Institution } from "./institution.entity";

/**
 * An institution as the permission rules read it (`_id`, `ancestors`), from the gateway's
 * change-stream-watched memory when it has it: the scan path asks on every upload. Read-only — not
 * an entity of the request's EntityManager; load it through `ctx.loaders` to change it.
 */
export async function rememberedInstitution(
  ctx: RequestContext,
  id: ObjectId,
): Promise<Institution | undefined> {
  const doc = await ctx.app.remembered.institutions.get(id.toHexString(), () =>
    ctx.em.getConnection().getCollection("institution").findOne({ _id: id }),
  );
  return doc ? (Object.assign(Object.create(Institution.prototype), doc) as Institution) : undefined;
}
