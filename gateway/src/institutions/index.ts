import type { ClassType } from "../common/class-type";

export { Institution } from "./institution.entity";
export { Membership } from "./membership.entity";
export { Actor, type InstitutionAction, requireActor } from "./permissions";

import { Institution } from "./institution.entity";
import { Membership } from "./membership.entity";

export const institutionEntities = [Institution, Membership];
export const institutionResolvers: ClassType[] = [];
