import { accessEntities } from "./access";
import { authEntities } from "./auth";
import { billingEntities } from "./billing";
import { catalogEntities } from "./catalog";
import { institutionEntities } from "./institutions";
import { sourceEntities } from "./sources";

/** Every MikroORM entity of the gateway, gathered from the feature folders. */
export const ENTITIES = [
  ...authEntities,
  ...institutionEntities,
  ...catalogEntities,
  ...accessEntities,
  ...billingEntities,
  ...sourceEntities,
];
