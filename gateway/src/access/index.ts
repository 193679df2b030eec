import type { ClassType } from "../common/class-type";
export const accessEntities: ClassType[] = [];
