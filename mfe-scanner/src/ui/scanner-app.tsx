import type { ApolloClient } from "@apollo/client";
import type { CurrentInstitution, Locale } from "@billetix/web-contract";
import { type ReactNode, useEffect, useMemo, useState } from "react";
import type { ScannerEngine } from "../local";
import { ControlPage } from "./control/control-page";
import { DeviceSetup } from "./device/device-setup";
import { useClockCheck, useDeviceRegistration } from "./device/use-device";
import { useBrowserOnline, useEngineUpdates, useOnline } from "./engine/use-engine";
import { useTicketChanges } from "./engine/use-ticket-changes";
import { formatSkew, translator } from "./i18n";
import { ImportPage } from "./import/import-page";
import { useImporter } from "./import/use-importer";
import { SyncBanner } from "./layout/sync-banner";
import { ScanPage } from "./scan/scan-page";
import { type Scanner, ScannerContext, useScanner } from "./scanner-context";
import { injectStyles } from "./styles";

export interface ScannerAppProps {
  client: ApolloClient;
  engine: ScannerEngine;
  institution: CurrentInstitution;
  locale: Locale;
  /** The session is known good. False: started offline on what the device remembered. */
  sessionConfirmed: boolean;
  /** The gateway said the session is over (a GraphQL refusal, the WebSocket closed for it). */
  sessionEnded: boolean;
  onReconnect(): void;
  /** The standalone app's header: who, where, language, sign out. */
  header?: ReactNode;
}

type Tab = "scan" | "import" | "control";

/** The scanner's screens, the same in the shell and in the standalone app. */
export function ScannerApp(props: ScannerAppProps) {
  const { client, engine, institution, locale } = props;
  injectStyles();
  const browserOnline = useBrowserOnline();
  const online = useOnline(engine);
  const value: Scanner = useMemo(
    () => ({ client, engine, institution, locale, t: translator(locale), online, browserOnline }),
    [client, engine, institution, locale, online, browserOnline],
  );
  return (
    <ScannerContext.Provider value={value}>
      <div className="sc" lang={locale}>
        {props.header}
        <Screens {...props} />
      </div>
    </ScannerContext.Provider>
  );
}

function Screens({ sessionConfirmed, sessionEnded, onReconnect }: ScannerAppProps) {
  const { engine, browserOnline, online, locale, t } = useScanner();
  useEngineUpdates(engine);
  const device = useDeviceRegistration();
  const clock = useClockCheck(device.registered);
  const importer = useImporter();
  const [renaming, setRenaming] = useState(false);
  const [tab, setTab] = useState<Tab>(() => (engine.controlled().length > 0 ? "scan" : "import"));
  const named = device.name !== null;

  // Uploads and pulls run while the scanner is on screen, once the device has a name.
  useEffect(() => {
    if (!named) return;
    void Promise.resolve(engine.startSync()).catch(() => undefined);
    return () => void Promise.resolve(engine.stopSync()).catch(() => undefined);
  }, [engine, named]);

  // Back with a good session: what waited in the outbox goes up now.
  useEffect(() => {
    if (sessionConfirmed && engine.status().sessionEnded)
      void Promise.resolve(engine.resumeAfterLogin()).catch(() => undefined);
  }, [engine, sessionConfirmed]);

  const ended = sessionEnded || engine.status().sessionEnded;
  useTicketChanges(engine.controlled(), named && browserOnline && sessionConfirmed && !ended);

  if (!named || renaming)
    return (
      <DeviceSetup
        current={device.name}
        onSave={(name) => {
          device.rename(name);
          setRenaming(false);
        }}
        onCancel={named ? () => setRenaming(false) : undefined}
      />
    );

  return (
    <>
      <SyncBanner sessionEnded={sessionEnded} onReconnect={onReconnect} />
      {clock?.skewed && (
        <p className="sc-clock" role="alert" data-testid="clock-warning">
          <strong>{t("clockWarning")}</strong>{" "}
          <span data-testid="clock-skew">
            ({t(clock.skewMs > 0 ? "clockAhead" : "clockBehind", { skew: formatSkew(clock.skewMs, locale) })})
          </span>
        </p>
      )}
      <div className="sc-device">
        <span>
          {t("device")}
          {t("colon")} <strong data-testid="device-label">{device.name}</strong>
        </span>
        <button type="button" onClick={() => setRenaming(true)}>
          {t("rename")}
        </button>
        {!device.registered && !device.error && !online && (
          <span className="sc-muted">{t("deviceNotRegistered")}</span>
        )}
        {device.error && (
          <span className="sc-error" role="alert" data-testid="device-error">
            {device.error}
          </span>
        )}
      </div>
      <nav className="sc-tabs" aria-label={t("tabs")}>
        {(
          [
            ["scan", t("tabScan")],
            ["import", t("tabImport")],
            ["control", t("tabControl")],
          ] as const
        ).map(([id, label]) => (
          <button
            key={id}
            type="button"
            data-testid={`tab-${id}`}
            aria-current={tab === id ? "page" : undefined}
            onClick={() => setTab(id)}
          >
            {label}
            {id === "scan" && engine.conflicts().length > 0 && (
              <span className="sc-tab-badge">{engine.conflicts().length}</span>
            )}
          </button>
        ))}
      </nav>
      <main className="sc-main">
        {tab === "scan" && <ScanPage onChooseControl={() => setTab("control")} />}
        {tab === "import" && <ImportPage importer={importer} />}
        {tab === "control" && (
          <ControlPage onControlled={() => setTab("scan")} onImport={() => setTab("import")} />
        )}
      </main>
    </>
  );
}
