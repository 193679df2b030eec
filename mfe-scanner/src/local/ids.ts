/**
 * Random ids from `crypto.getRandomValues`: `crypto.randomUUID` is missing on insecure origins (a
 * scanner opened over plain HTTP on a venue's LAN).
 */
export function randomHex(bytes: number): string {
  const buffer = new Uint8Array(bytes);
  crypto.getRandomValues(buffer);
  let hex = "";
  for (const byte of buffer) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

/** 32 hex characters: what the gateway accepts (`[A-Za-z0-9_-]{8,64}`). */
export function newDeviceKey(): string {
  return randomHex(16);
}

/**
 * A scan's id, unique across devices (80 random bits), led by its instant in base 36 so that ids
 * read in the server's logs sort roughly by time. Matches the gateway's `[A-Za-z0-9_:.-]{8,64}`.
 */
export function newClientScanId(at: number): string {
  const time = Number.isFinite(at) && at > 0 ? Math.floor(at).toString(36) : "0";
  return `${time}-${randomHex(10)}`;
}
