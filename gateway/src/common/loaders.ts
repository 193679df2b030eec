import { type EntityClass, type EntityManager, ObjectId } from "@mikro-orm/mongodb";
import DataLoader from "dataloader";

/**
 * Per-request batch loaders by id, so a field resolver run for N parents costs one `$in` query,
 * not N. Created lazily per entity class.
 */
export class Loaders {
  private readonly byClass = new Map<EntityClass<object>, DataLoader<string, object | undefined>>();

  constructor(private readonly em: EntityManager) {}

  load<T extends { _id: ObjectId }>(entity: EntityClass<T>, id: ObjectId): Promise<T | undefined> {
    let loader = this.byClass.get(entity as EntityClass<object>);
    if (!loader) {
      loader = new DataLoader<string, object | undefined>(async (ids) => {
        const found = await this.em.find(entity, { _id: { $in: ids.map((i) => new ObjectId(i)) } } as never);
        const byId = new Map(found.map((e) => [e._id.toHexString(), e]));
        return ids.map((i) => byId.get(i));
      });
      this.byClass.set(entity as EntityClass<object>, loader);
    }
    return loader.load(id.toHexString()) as Promise<T | undefined>;
  }
}
