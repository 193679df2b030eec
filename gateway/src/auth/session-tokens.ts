import { createHash, randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { parse as parseCookies } from "cookie";

export const SESSION_COOKIE = "billetix_session";

export function newSessionToken(): string {
  return randomBytes(32).toString("base64url");
}

export function hashSessionToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** The session token of a request: `Authorization: Bearer` for API clients, else the web apps' cookie. */
export function sessionToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith("Bearer ")) return header.slice(7).trim();
  const cookies = req.headers.cookie ? parseCookies(req.headers.cookie) : {};
  return cookies[SESSION_COOKIE];
}
