import { Arg, Ctx, Field, Float, ID, Mutation, ObjectType, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../common/context";
import { Device } from "./device.entity";
import { DeviceService } from "./device.service";
import { RegisterDeviceInput } from "./dto/device.input";

@ObjectType({ description: "The result of comparing a device's clock with the server's." })
class ClockCheck {
  @Field() serverTime!: Date;
  @Field(() => Float, { description: "Device clock minus server clock, in ms." }) skewMs!: number;
  @Field({ description: "Over the threshold (2 minutes by default): the scanner must warn." })
  skewed!: boolean;
  @Field({ nullable: true, description: "The warning to show, in French." }) message?: string;
}

@Resolver(() => Device)
export class DeviceResolver {
  @Mutation(() => Device, { description: "Registers this device (again) for the logged-in login." })
  registerDevice(@Arg("input") input: RegisterDeviceInput, @Ctx() ctx: RequestContext) {
    return new DeviceService(ctx).register(input);
  }

  @Mutation(() => ClockCheck, { description: "Exchanges clocks; the skew is recorded on the device." })
  checkDeviceClock(
    @Arg("deviceKey") deviceKey: string,
    @Arg("deviceTime") deviceTime: Date,
    @Ctx() ctx: RequestContext,
  ) {
    return new DeviceService(ctx).checkClock(deviceKey, deviceTime);
  }

  @Query(() => [Device], { description: "The devices of an institution, last seen first." })
  devices(@Arg("institutionId", () => ID) institutionId: string, @Ctx() ctx: RequestContext) {
    return new DeviceService(ctx).list(institutionId);
  }
}
