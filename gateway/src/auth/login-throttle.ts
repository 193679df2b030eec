import type { MongoClient } from "mongodb";
import { RateLimiterMongo, RateLimiterRes } from "rate-limiter-flexible";
import { DomainError } from "../common/domain-error";

/**
 * Failed logins are counted per username and per address, in the database so that every
 * gateway behind a load balancer sees the same counts. Only failures count; a success clears
 * the username's count.
 */
export class LoginThrottle {
  private readonly byUsername: RateLimiterMongo;
  private readonly byAddress: RateLimiterMongo;

  constructor(
    client: MongoClient,
    dbName: string,
    limits = { perUsername: 10, perAddress: 100, windowSeconds: 900 },
  ) {
    const common = {
      storeClient: client,
      dbName,
      duration: limits.windowSeconds,
      blockDuration: limits.windowSeconds,
    };
    this.byUsername = new RateLimiterMongo({
      ...common,
      tableName: "login_throttle",
      keyPrefix: "user",
      points: limits.perUsername,
    });
    this.byAddress = new RateLimiterMongo({
      ...common,
      tableName: "login_throttle",
      keyPrefix: "ip",
      points: limits.perAddress,
    });
  }

  async assertAllowed(username: string, ip: string): Promise<void> {
    const [user, address] = await Promise.all([this.byUsername.get(username), this.byAddress.get(ip)]);
    const blocked = [
      [user, this.byUsername.points],
      [address, this.byAddress.points],
    ] as const;
    for (const [res, points] of blocked) {
      if (res && res.consumedPoints >= points) throw tooManyAttempts(res.msBeforeNext);
    }
  }

  async recordFailure(username: string, ip: string): Promise<void> {
    await Promise.all([
      this.byUsername.consume(username).catch(ignoreRejection),
      this.byAddress.consume(ip).catch(ignoreRejection),
    ]);
  }

  async recordSuccess(username: string): Promise<void> {
    await this.byUsername.delete(username);
  }
}

function ignoreRejection(err: unknown): void {
  if (!(err instanceof RateLimiterRes)) throw err;
}

function tooManyAttempts(msBeforeNext: number): DomainError {
  const minutes = Math.max(1, Math.ceil(msBeforeNext / 60_000));
  return new DomainError(
    "TOO_MANY_ATTEMPTS",
    `Trop de tentatives de connexion. Réessayez dans ${minutes} minute${minutes > 1 ? "s" : ""}.`,
  );
}
