import { useCallback, useEffect, useState } from "react";
import { errorMessage, isNetworkFailure } from "../errors";
import { CHECK_DEVICE_CLOCK, REGISTER_DEVICE } from "../scanner.queries";
import { useScanner } from "../scanner-context";
import { loadDevice, registrationOf, type StoredDevice, saveDevice } from "./device-store";

/** How often a device unregistered for want of network tries again while the browser says online. */
const REGISTER_RETRY_MS = 30_000;
/** The clock is compared at start and then this often while online. */
export const CLOCK_CHECK_MS = 10 * 60_000;

export interface DeviceRegistration {
  /** null: never named on this browser, the device screen must ask. */
  name: string | null;
  registered: boolean;
  /** The gateway refused the registration (its French message). */
  error: string | null;
  rename(name: string): void;
}

/**
 * The device's name and its registration with the gateway for the current institution. The name is
 * kept on the device; registering needs the network and happens again on any change of key,
 * institution or name.
 */
export function useDeviceRegistration(): DeviceRegistration {
  const { client, engine, institution, browserOnline: online, t } = useScanner();
  const [device, setDevice] = useState<StoredDevice | null>(loadDevice);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const wanted = device ? registrationOf(engine.deviceKey(), institution.id, device.name) : null;
  const registered = wanted !== null && device?.registration === wanted;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` asks again after a network failure
  useEffect(() => {
    if (!device || registered || !online || !wanted) return;
    let cancelled = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    client
      .mutate({
        mutation: REGISTER_DEVICE,
        variables: {
          input: { deviceKey: engine.deviceKey(), name: device.name, institutionId: institution.id },
        },
      })
      .then(
        () => {
          if (cancelled) return;
          const next = { name: device.name, registration: wanted };
          saveDevice(next);
          setDevice(next);
          setError(null);
          // Uploads refused while the device was unknown go up now.
          void engine.syncNow().catch(() => undefined);
        },
        (err: unknown) => {
          if (cancelled) return;
          if (isNetworkFailure(err)) retry = setTimeout(() => setAttempt((n) => n + 1), REGISTER_RETRY_MS);
          else setError(errorMessage(err, t));
        },
      );
    return () => {
      cancelled = true;
      clearTimeout(retry);
    };
  }, [client, engine, institution.id, device, registered, online, wanted, t, attempt]);

  const rename = useCallback((name: string) => {
    const next = { name, registration: null };
    saveDevice(next);
    setDevice(next);
    setError(null);
  }, []);

  return { name: device?.name ?? null, registered, error, rename };
}

export interface ClockState {
  skewed: boolean;
  skewMs: number;
}

/** Compares the device's clock with the gateway's at start and every 10 minutes while online. */
export function useClockCheck(registered: boolean): ClockState | null {
  const { client, engine, browserOnline: online } = useScanner();
  const [clock, setClock] = useState<ClockState | null>(null);
  useEffect(() => {
    if (!registered || !online) return;
    let cancelled = false;
    const check = () =>
      client
        .mutate({
          mutation: CHECK_DEVICE_CLOCK,
          variables: { deviceKey: engine.deviceKey(), deviceTime: new Date().toISOString() },
        })
        .then(
          ({ data }) => {
            if (!cancelled && data)
              setClock({ skewed: data.checkDeviceClock.skewed, skewMs: data.checkDeviceClock.skewMs });
          },
          // The last verdict stands until a check succeeds.
          () => undefined,
        );
    void check();
    const timer = setInterval(check, CLOCK_CHECK_MS);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [client, engine, registered, online]);
  return clock;
}
