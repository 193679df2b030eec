import type { ClassType } from "../common/class-type";
import { Scan } from "./scan.entity";
import { Ticket } from "./ticket.entity";

export { Scan } from "./scan.entity";
export { Ticket, TicketState } from "./ticket.entity";

export const accessEntities: ClassType[] = [Ticket, Scan];
