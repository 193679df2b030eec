import { Arg, Ctx, Field, ID, Int, Mutation, ObjectType, Resolver } from "type-graphql";
import type { RequestContext } from "../common/context";
import { ScanUploadInput } from "./dto/scan.input";
import { ScanService } from "./scan.service";

@ObjectType({ description: "The server's verdict on one scan." })
class ScanResultType {
  @Field() clientScanId!: string;
  @Field() accepted!: boolean;
  @Field({ description: "A reason code of @billetix/access-rules (ACCEPTED, ALREADY_USED, …)." })
  reason!: string;
  @Field({ description: "The verdict in French, to show." }) message!: string;
  @Field({ description: "The device decided otherwise (e.g. two devices admitted the ticket offline)." })
  conflict!: boolean;
  @Field({ description: "Already recorded by an earlier upload." }) replayed!: boolean;
}

@ObjectType()
class PerformanceRevision {
  @Field(() => ID) performanceId!: string;
  @Field(() => Int) revision!: number;
}

@ObjectType()
class ScanBatchResultType {
  @Field(() => [ScanResultType]) results!: ScanResultType[];
  @Field(() => [PerformanceRevision], { description: "Where each performance's tickets are now." })
  revisions!: PerformanceRevision[];
}

@Resolver()
export class ScanResolver {
  @Mutation(() => ScanBatchResultType, {
    description: "Uploads scans (at most 500); retrying a batch changes nothing.",
  })
  recordScans(
    @Arg("deviceKey") deviceKey: string,
    @Arg("scans", () => [ScanUploadInput]) scans: ScanUploadInput[],
    @Ctx() ctx: RequestContext,
  ) {
    return new ScanService(ctx).record(deviceKey, scans);
  }

  @Mutation(() => ScanResultType, {
    description: "An authoritative decision, online (turnstiles, kiosks); recorded like any scan.",
  })
  checkTicket(
    @Arg("performanceId", () => ID) performanceId: string,
    @Arg("barcode") barcode: string,
    @Arg("direction", { defaultValue: "in" }) direction: string,
    @Arg("timeZone", { defaultValue: "Europe/Paris" }) timeZone: string,
    @Arg("deviceKey", () => String, { nullable: true }) deviceKey: string | undefined,
    @Ctx() ctx: RequestContext,
  ) {
    return new ScanService(ctx).checkOnline(deviceKey ?? undefined, {
      performanceId,
      barcode,
      direction: direction as "in" | "out",
      timeZone,
    });
  }
}
