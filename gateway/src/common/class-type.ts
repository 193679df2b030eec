/** Any class: what entity and resolver lists hold. */
export type ClassType = abstract new (...args: never[]) => object;
