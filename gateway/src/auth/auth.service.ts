import type { EntityData, EntityManager } from "@mikro-orm/mongodb";
import type { Document } from "mongodb";
import type { Clock } from "../common/clock";
import { DomainError } from "../common/domain-error";
import type { WatchedCache } from "../common/watched-cache";
import { Login } from "./login.entity";
import type { LoginThrottle } from "./login-throttle";
import { verifyDecoy, verifyPassword } from "./passwords";
import { Session } from "./session.entity";
import { hashSessionToken, newSessionToken } from "./session-tokens";

/** Sessions live a week without use; each use pushes the end back. */
export const SESSION_IDLE_LIFETIME_MS = 7 * 24 * 3600_000;
const TOUCH_EVERY_MS = 10 * 60_000;
/**
 * How long a remembered session or login is trusted without news; a change stream forgets it as
 * soon as it changes (logout, login elsewhere, expiry, disabled, master status, password).
 */
export const SESSION_CACHE_TTL_MS = 30_000;

export interface ClientMeta {
  ip: string;
  userAgent?: string;
}

export interface Authenticated {
  login: Login;
  session: Session;
}

export class AuthService {
  constructor(
    private readonly em: EntityManager,
    private readonly clock: Clock,
    private readonly throttle: LoginThrottle,
    /** Sessions by token hash and logins by id, remembered between requests (see `WatchedCache`). */
    private readonly remembered?: { sessions: WatchedCache<Document>; logins: WatchedCache<Document> },
  ) {}

  /**
   * One login, one session: opening a session ends every other session of the login (their
   * deletion reaches every gateway through the change stream, which closes their WebSockets).
   */
  async login(
    username: string,
    password: string,
    meta: ClientMeta,
  ): Promise<Authenticated & { token: string }> {
    const name = typeof username === "string" ? username.trim().toLowerCase() : "";
    if (!name || typeof password !== "string" || !password) {
      throw new DomainError(
        "BAD_USER_INPUT",
        "Entrez votre login et votre mot de passe.",
        name ? "password" : "username",
      );
    }
    await this.throttle.assertAllowed(name, meta.ip);
    const login = await this.em.findOne(Login, { username: name });
    const ok = login ? await verifyPassword(login.passwordHash, password) : await verifyDecoy(password);
    if (!login || !ok) {
      await this.throttle.recordFailure(name, meta.ip);
      throw new DomainError("INVALID_CREDENTIALS", "Login ou mot de passe incorrect.");
    }
    if (login.disabled) throw new DomainError("LOGIN_DISABLED", "Ce login est désactivé.");
    await this.throttle.recordSuccess(name);

    const now = this.clock.now();
    const token = newSessionToken();
    const session = this.em.create(Session, {
      tokenHash: hashSessionToken(token),
      loginId: login._id,
      ip: meta.ip,
      userAgent: meta.userAgent?.slice(0, 300),
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + SESSION_IDLE_LIFETIME_MS),
    });
    await this.em.flush();
    await this.endSessionsOf(login, session);
    return { token, login, session };
  }

  /** The session a token opens, or null (unknown, expired, or its login disabled). */
  async authenticate(token: string | undefined): Promise<Authenticated | null> {
    if (!token || token.length > 200) return null;
    const now = this.clock.now();
    const tokenHash = hashSessionToken(token);
    const db = this.em.getConnection();
    const storedSession = await remembered(this.remembered?.sessions, tokenHash, () =>
      db.getCollection<Document>("session").findOne({ tokenHash }),
    );
    if (!storedSession || storedSession.expiresAt <= now) return null;
    const storedLogin = await remembered(this.remembered?.logins, String(storedSession.loginId), () =>
      db.getCollection<Document>("login").findOne({ _id: storedSession.loginId }),
    );
    if (!storedLogin || storedLogin.disabled) return null;
    // Entities of this request's own: a remembered document is never shared between requests.
    const session = this.em.merge(Session, { ...storedSession } as EntityData<Session>);
    const login = this.em.merge(Login, { ...storedLogin } as EntityData<Login>);
    if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
      session.lastSeenAt = now;
      session.expiresAt = new Date(now.getTime() + SESSION_IDLE_LIFETIME_MS);
      await this.em.flush();
    }
    return { login, session };
  }

  async logout(session: Session): Promise<void> {
    await this.em.nativeDelete(Session, { _id: session._id });
  }

  /** Ends every session of a login (but `keep`): on a new login, a password change, a disable. */
  async endSessionsOf(login: Login, keep?: Session): Promise<number> {
    const filter = keep ? { loginId: login._id, _id: { $ne: keep._id } } : { loginId: login._id };
    return this.em.nativeDelete(Session, filter);
  }
}

/** `read` through the cache when there is one. */
async function remembered(
  cache: WatchedCache<Document> | undefined,
  key: string,
  read: () => Promise<Document | null>,
): Promise<Document | undefined> {
  return cache ? cache.get(key, read) : ((await read()) ?? undefined);
}
