export { AuthService } from "./auth.service";
export { Login } from "./login.entity";
export { Session } from "./session.entity";

import { AuthResolver } from "./auth.resolver";
import { Login } from "./login.entity";
import { LoginFieldsResolver } from "./login.resolver";
import { Session } from "./session.entity";

export const authEntities = [Login, Session];
export const authResolvers = [AuthResolver, LoginFieldsResolver];
