import type { ClassType } from "../common/class-type";

export { Institution } from "./institution.entity";
export { InstitutionService } from "./institution.service";
export { Membership } from "./membership.entity";
export { Actor, type InstitutionAction, requireActor } from "./permissions";

import { Institution } from "./institution.entity";
import { InstitutionResolver } from "./institution.resolver";
import { Membership } from "./membership.entity";
import { UserResolver } from "./user.resolver";

export const institutionEntities = [Institution, Membership];
export const institutionResolvers: ClassType[] = [InstitutionResolver, UserResolver];
