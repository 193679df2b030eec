import { formatWhen } from "../i18n";
import { useScanner } from "../scanner-context";

/**
 * Connected or degraded, the scans waiting on the device, and a session that must be opened again
 * (nothing is lost meanwhile: the scans wait in the outbox).
 */
export function SyncBanner({ sessionEnded, onReconnect }: { sessionEnded: boolean; onReconnect(): void }) {
  const { engine, online, locale, t } = useScanner();
  const status = engine.status();
  const ended = sessionEnded || status.sessionEnded;
  const state = online && !ended ? "online" : "degraded";
  return (
    <div
      className="sc-banner"
      data-testid="sync-banner"
      data-state={state}
      data-session={ended ? "ended" : "open"}
      role="status"
    >
      <span className="sc-banner-text">
        {ended ? t("sessionExpired") : state === "online" ? t("online") : t("degraded")}
      </span>
      <span className="sc-banner-pending">
        <span className="sc-pending" data-testid="pending-count">
          {status.pending}
        </span>{" "}
        {t("pending")}
      </span>
      {status.lastUploadAt !== null && (
        <span className="sc-muted sc-banner-detail">
          {t("lastUpload", { time: formatWhen(status.lastUploadAt, locale) })}
        </span>
      )}
      {status.lastError && !ended && <span className="sc-banner-detail">{status.lastError}</span>}
      {ended ? (
        <button type="button" className="sc-primary" data-testid="reconnect" onClick={onReconnect}>
          {t("reconnect")}
        </button>
      ) : (
        online && (
          <button
            type="button"
            data-testid="sync-now"
            onClick={() => void Promise.resolve(engine.syncNow()).catch(() => undefined)}
          >
            {t("syncNow")}
          </button>
        )
      )}
    </div>
  );
}
