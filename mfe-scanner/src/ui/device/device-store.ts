/** What this browser remembers of itself as a scanning device (localStorage, outside the engine). */
export interface StoredDevice {
  /** What staff call it: « Porte A ». */
  name: string;
  /** What the gateway last accepted: key, institution and name (see `registrationOf`). */
  registration: string | null;
}

const DEVICE_KEY = "billetix.scanner.device";

export const DEVICE_NAME_MAX = 80;

export function loadDevice(): StoredDevice | null {
  try {
    const raw = localStorage.getItem(DEVICE_KEY);
    if (!raw) return null;
    const value = JSON.parse(raw) as Partial<StoredDevice>;
    return typeof value.name === "string" && value.name
      ? { name: value.name, registration: typeof value.registration === "string" ? value.registration : null }
      : null;
  } catch {
    return null;
  }
}

export function saveDevice(device: StoredDevice): void {
  try {
    localStorage.setItem(DEVICE_KEY, JSON.stringify(device));
  } catch {
    // Storage refused (private browsing): the name lasts for this page and is asked again later.
  }
}

/** A registration stands for one key, one institution and one name: any change registers again. */
export const registrationOf = (deviceKey: string, institutionId: string, name: string): string =>
  JSON.stringify([deviceKey, institutionId, name]);

/** The name as the gateway will keep it (spaces folded), or null when it breaks its rule. */
export function cleanDeviceName(raw: string): string | null {
  const name = raw.replace(/\s+/g, " ").trim();
  return name.length >= 1 && name.length <= DEVICE_NAME_MAX ? name : null;
}
