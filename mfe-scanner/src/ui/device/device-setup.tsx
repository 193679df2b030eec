import { type FormEvent, useEffect, useRef, useState } from "react";
import { useScanner } from "../scanner-context";
import { cleanDeviceName, DEVICE_NAME_MAX } from "./device-store";

/** Asks what staff call this device (« Porte A »): on first use, or to rename it. */
export function DeviceSetup({
  current,
  onSave,
  onCancel,
}: {
  current: string | null;
  onSave(name: string): void;
  onCancel?: () => void;
}) {
  const { t } = useScanner();
  const [name, setName] = useState(current ?? "");
  const [error, setError] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => inputRef.current?.focus(), []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const clean = cleanDeviceName(name);
    if (!clean) return setError(t("deviceNameInvalid"));
    onSave(clean);
  };

  return (
    <section className="sc-page sc-card" aria-labelledby="sc-device-title" data-testid="device-setup">
      <h1 id="sc-device-title">{t("deviceTitle")}</h1>
      <p id="sc-device-help">{t("deviceHelp")}</p>
      <form onSubmit={submit}>
        <label htmlFor="sc-device-name">{t("deviceName")}</label>
        <input
          id="sc-device-name"
          ref={inputRef}
          data-testid="device-name"
          value={name}
          maxLength={DEVICE_NAME_MAX}
          aria-describedby="sc-device-help"
          aria-invalid={error !== null}
          onChange={(e) => setName(e.target.value)}
        />
        {error && (
          <p className="sc-error" role="alert">
            {error}
          </p>
        )}
        <div className="sc-actions">
          <button type="submit" className="sc-primary sc-big" data-testid="device-save">
            {t("deviceSave")}
          </button>
          {onCancel && (
            <button type="button" className="sc-big" onClick={onCancel}>
              {t("cancel")}
            </button>
          )}
        </div>
      </form>
    </section>
  );
}
