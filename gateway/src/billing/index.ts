import type { ClassType } from "../common/class-type";
export const billingEntities: ClassType[] = [];
export const billingResolvers: ClassType[] = [];
