import type { ClassType } from "../common/class-type";
export const catalogEntities: ClassType[] = [];
export const catalogResolvers: ClassType[] = [];
