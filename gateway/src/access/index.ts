import type { ClassType } from "../common/class-type";
import { Device } from "./device.entity";
import { DeviceResolver } from "./device.resolver";
import { Scan } from "./scan.entity";
import { ScanResolver } from "./scan.resolver";
import { ScannerHomeResolver } from "./scanner-home.resolver";
import { SharedBarcodesResolver } from "./shared-barcodes.resolver";
import { Ticket } from "./ticket.entity";

export { Device } from "./device.entity";
export { Scan } from "./scan.entity";
export { Ticket, TicketState } from "./ticket.entity";

export const accessEntities: ClassType[] = [Ticket, Scan, Device];
export const accessResolvers: ClassType[] = [
  DeviceResolver,
  ScanResolver,
  SharedBarcodesResolver,
  ScannerHomeResolver,
];
