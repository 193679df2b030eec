import type { CurrentInstitution, ShellSession } from "@billetix/web-contract";

/** What the device keeps of the last session, to open the scanner offline (never a password). */
export interface RememberedSession {
  session: ShellSession;
  institution: CurrentInstitution | null;
}

const SESSION_KEY = "billetix.scanner.session";

export function loadRememberedSession(): RememberedSession | null {
  try {
    const raw = localStorage.getItem(SESSION_KEY);
    if (!raw) return null;
    const value = JSON.parse(raw) as RememberedSession;
    if (typeof value?.session?.username !== "string" || typeof value.session.loginId !== "string")
      return null;
    const institution =
      value.institution &&
      typeof value.institution.id === "string" &&
      typeof value.institution.name === "string"
        ? { id: value.institution.id, name: value.institution.name }
        : null;
    return { session: value.session, institution };
  } catch {
    return null;
  }
}

export function rememberSession(remembered: RememberedSession): void {
  try {
    localStorage.setItem(SESSION_KEY, JSON.stringify(remembered));
  } catch {
    // Storage refused: an offline start will ask for the network.
  }
}
