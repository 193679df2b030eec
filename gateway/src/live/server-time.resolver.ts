import { Repeater } from "@graphql-yoga/subscription";
import { Resolver, Root, Subscription } from "type-graphql";
import type { RequestContext } from "../common/context";
import { requireActor } from "../institutions/permissions";

const TICK_MS = 30_000;

@Resolver()
export class ServerTimeResolver {
  @Subscription(() => Date, {
    description: "The server's clock, at once then every 30 s: scanners compare it with their own.",
    subscribe: ({ context }) => {
      const ctx = context as RequestContext;
      requireActor(ctx.actor);
      return new Repeater<Date>(async (push, stop) => {
        await push(ctx.app.clock.now());
        const timer = setInterval(() => void push(ctx.app.clock.now()), TICK_MS);
        await stop;
        clearInterval(timer);
      });
    },
  })
  serverTime(@Root() time: Date): Date {
    return time;
  }
}
