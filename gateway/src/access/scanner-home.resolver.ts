import { Arg, Ctx, Field, ID, Int, ObjectType, Query, Resolver } from "type-graphql";
import { ControlMode } from "../catalog/performance.entity";
import type { RequestContext } from "../common/context";
import { Institution } from "../institutions/institution.entity";
import { ScannerHomeService, type ScannerPerformanceView } from "./scanner-home.service";

@ObjectType({ description: "A performance a scanner may import, with the names staff know it by." })
class ScannerPerformance {
  @Field(() => ID) id!: string;
  @Field(() => ID) institutionId!: string;
  @Field() eventName!: string;
  @Field() venueName!: string;
  @Field() dated!: boolean;
  @Field({ nullable: true }) startsAt?: Date;
  @Field({ nullable: true }) endsAt?: Date;
  @Field({ nullable: true, description: "Undated: the label the scanner shows." }) label?: string;
  @Field(() => ControlMode) controlMode!: ControlMode;
  @Field(() => Int) ticketCount!: number;
}

@Resolver()
export class ScannerHomeResolver {
  @Query(() => [Institution], { description: "The institutions where the logged-in login may scan." })
  scannerInstitutions(@Ctx() ctx: RequestContext) {
    return new ScannerHomeService(ctx).institutions();
  }

  @Query(() => [ScannerPerformance], {
    description: "What a scanner may import in an institution: PDA ticked, not archived, not long over.",
  })
  async scannerPerformances(
    @Arg("institutionId", () => ID) institutionId: string,
    @Ctx() ctx: RequestContext,
  ): Promise<ScannerPerformance[]> {
    const views = await new ScannerHomeService(ctx).performances(institutionId);
    return views.map(toScannerPerformance);
  }
}

function toScannerPerformance({ performance: p, eventName, venueName }: ScannerPerformanceView) {
  return Object.assign(new ScannerPerformance(), {
    id: p.id,
    institutionId: p.institutionId.toHexString(),
    eventName,
    venueName,
    dated: p.dated,
    startsAt: p.startsAt,
    endsAt: p.endsAt,
    label: p.label,
    controlMode: p.controlMode,
    ticketCount: p.counters.ticketCount,
  });
}
