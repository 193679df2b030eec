import argon2 from "argon2";
import { badInput } from "../common/domain-error";

export const MIN_PASSWORD_LENGTH = 8;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

export function verifyPassword(hash: string, password: string): Promise<boolean> {
  return argon2.verify(hash, password).catch(() => false);
}

// Verified against when the username is unknown, so both failures take the same time.
let decoyHash: Promise<string> | undefined;
export function verifyDecoy(password: string): Promise<boolean> {
  decoyHash ??= hashPassword("decoy password never matches anything");
  return decoyHash.then((hash) => verifyPassword(hash, `${password}\u0000`));
}

export function assertPasswordPolicy(password: string, field = "password"): void {
  if (typeof password !== "string" || password.length < MIN_PASSWORD_LENGTH) {
    throw badInput(field, `Le mot de passe doit contenir au moins ${MIN_PASSWORD_LENGTH} caractères.`);
  }
  if (password.length > 200) throw badInput(field, "Le mot de passe est trop long (200 caractères au plus).");
}

/** Usernames are compared case-insensitively: stored lower-cased, trimmed. */
export function normalizeUsername(username: string, field = "username"): string {
  const normalized = typeof username === "string" ? username.trim().toLowerCase() : "";
  if (!/^[a-z0-9][a-z0-9._@-]{1,63}$/.test(normalized)) {
    throw badInput(
      field,
      "Le login doit contenir de 2 à 64 caractères : lettres, chiffres, point, tiret, arobase ou souligné.",
    );
  }
  return normalized;
}
