import type { Document } from "bson";

const isPlainObject = (v: unknown): v is Document =>
  typeof v === "object" && v !== null && Object.getPrototypeOf(v) === Object.prototype;

/**
 * Every value a dotted path reaches, as an index sees it: arrays along the path fan out and a
 * terminal array contributes its elements (multikey). `undefined` stands for "missing".
 */
export function pathValues(doc: unknown, path: string): { values: unknown[]; fromArray: boolean } {
  const out: unknown[] = [];
  let fromArray = false;
  const walk = (value: unknown, parts: string[], i: number) => {
    if (i === parts.length) {
      if (Array.isArray(value)) {
        fromArray = true;
        if (value.length === 0) out.push(undefined);
        for (const v of value) out.push(v);
      } else out.push(value);
      return;
    }
    if (Array.isArray(value)) {
      fromArray = true;
      const index = /^\d+$/.test(parts[i]) ? Number(parts[i]) : -1;
      if (index >= 0) return walk(value[index], parts, i + 1);
      if (value.length === 0) out.push(undefined);
      for (const element of value) walk(isPlainObject(element) ? element : undefined, parts, i);
      return;
    }
    walk(isPlainObject(value) ? value[parts[i]] : undefined, parts, i + 1);
  };
  walk(doc, path.split("."), 0);
  return { values: out, fromArray };
}

/** The single value at a dotted path (no array fan-out), for documentKey/keyValue reporting. */
export function pathValue(doc: Document, path: string): unknown {
  let value: unknown = doc;
  for (const part of path.split(".")) {
    if (!isPlainObject(value) && !Array.isArray(value)) return undefined;
    value = (value as Document)[part];
  }
  return value;
}

export { isPlainObject };
