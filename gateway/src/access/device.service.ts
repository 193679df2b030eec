import { assertOnInstitution } from "../catalog/catalog-access";
import type { RequestContext } from "../common/context";
import { badInput, notFound } from "../common/domain-error";
import { cleanName } from "../common/text";
import { requireActor } from "../institutions/permissions";
import { rememberedInstitution } from "../institutions/remembered-institution";
import { Device } from "./device.entity";
import type { RegisterDeviceInput } from "./dto/device.input";

export interface ClockCheck {
  serverTime: Date;
  skewMs: number;
  skewed: boolean;
  message?: string;
}

export class DeviceService {
  constructor(private readonly ctx: RequestContext) {}

  /** Registers (or re-registers) a device for the logged-in login, in an institution it scans for. */
  async register(input: RegisterDeviceInput): Promise<Device> {
    const actor = requireActor(this.ctx.actor);
    const institution = await assertOnInstitution(this.ctx, input.institutionId, "scan");
    const name = cleanName(input.name, "name", 80, "Le nom du terminal doit contenir de 1 à 80 caractères.");
    const now = this.ctx.app.clock.now();
    const fields = { name, loginId: actor.login._id, institutionId: institution._id, lastSeenAt: now };
    const device = await this.ctx.em.findOne(Device, { deviceKey: input.deviceKey });
    if (device) Object.assign(device, fields);
    const saved = device ?? this.ctx.em.create(Device, { deviceKey: input.deviceKey, ...fields });
    await this.ctx.em.flush();
    return saved;
  }

  /** The device of this key, if the actor may scan where it is registered. */
  async get(deviceKey: string): Promise<Device> {
    const device = await this.ctx.em.findOne(Device, { deviceKey: checkDeviceKey(deviceKey) });
    if (!device) throw notFound("Terminal (enregistrez-le d'abord)");
    await assertOnInstitution(this.ctx, device.institutionId, "scan");
    return device;
  }

  /**
   * The same check for a batch of scans, from the gateway's watched memory of devices and
   * institutions (it runs for every upload; the scan path needs only the key and where it is).
   */
  async scanningDevice(deviceKey: string): Promise<Pick<Device, "deviceKey" | "institutionId">> {
    const key = checkDeviceKey(deviceKey);
    const device = await this.ctx.app.remembered.devices.get(key, () =>
      this.ctx.em
        .getConnection()
        .getCollection("device")
        .findOne({ deviceKey: key }, { projection: { deviceKey: 1, institutionId: 1 } }),
    );
    if (!device) throw notFound("Terminal (enregistrez-le d'abord)");
    const institution = await rememberedInstitution(this.ctx, device.institutionId);
    if (!institution) throw notFound("Institution");
    await requireActor(this.ctx.actor).assert("scan", institution);
    return device as Pick<Device, "deviceKey" | "institutionId">;
  }

  /**
   * Every sync exchanges clocks: the skew is recorded on the device and the scanner is told to
   * warn when it is over the threshold. A clock years off is recorded and flagged, not refused.
   */
  async checkClock(deviceKey: string, deviceTime: Date): Promise<ClockCheck> {
    if (!(deviceTime instanceof Date) || Number.isNaN(deviceTime.getTime())) {
      throw badInput("deviceTime", "L'heure du terminal est invalide.");
    }
    const device = await this.get(deviceKey);
    const serverTime = this.ctx.app.clock.now();
    const skewMs = deviceTime.getTime() - serverTime.getTime();
    device.lastSkewMs = skewMs;
    device.lastSeenAt = serverTime;
    await this.ctx.em.flush();
    const skewed = Math.abs(skewMs) > this.ctx.app.config.clockSkewThresholdMs;
    return {
      serverTime,
      skewMs,
      skewed,
      ...(skewed ? { message: "Votre terminal doit être à l'heure." } : {}),
    };
  }

  async list(institutionId: string): Promise<Device[]> {
    const institution = await assertOnInstitution(this.ctx, institutionId, "shows.view");
    return this.ctx.em.find(Device, { institutionId: institution._id }, { orderBy: { lastSeenAt: "desc" } });
  }
}

function checkDeviceKey(deviceKey: unknown): string {
  if (typeof deviceKey !== "string" || !/^[A-Za-z0-9_-]{8,64}$/.test(deviceKey)) {
    throw badInput("deviceKey", "Identifiant de terminal invalide.");
  }
  return deviceKey;
}
