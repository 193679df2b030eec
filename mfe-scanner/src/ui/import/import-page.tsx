import { useEffect, useState } from "react";
import type { ImportedPerformance } from "../../local/types";
import { ConfirmButton } from "../confirm-button";
import { performanceWhen, useImported } from "../engine/use-imported";
import { errorMessage, isNetworkFailure } from "../errors";
import { formatDateTime, formatWhen } from "../i18n";
import { type AvailablePerformance, SCANNER_PERFORMANCES } from "../scanner.queries";
import { useScanner } from "../scanner-context";
import { type Importer, startsSoon } from "./use-importer";

type Available =
  | { state: "loading" }
  | { state: "loaded"; list: AvailablePerformance[] }
  | { state: "offline" }
  | { state: "failed"; message: string };

/** The performances to import (online only) and those already on the device. */
export function ImportPage({ importer }: { importer: Importer }) {
  const { client, engine, institution, browserOnline, locale, t } = useScanner();
  const imported = useImported();
  const [available, setAvailable] = useState<Available>({ state: "loading" });
  const [reload, setReload] = useState(0);
  const [removeError, setRemoveError] = useState<string | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `reload` asks for the list again (« Réessayer »)
  useEffect(() => {
    if (!browserOnline) return setAvailable({ state: "offline" });
    let cancelled = false;
    setAvailable((was) => (was.state === "loaded" ? was : { state: "loading" }));
    client
      .query({
        query: SCANNER_PERFORMANCES,
        variables: { institutionId: institution.id },
        fetchPolicy: "network-only",
      })
      .then(
        ({ data }) => {
          if (!cancelled) setAvailable({ state: "loaded", list: data?.scannerPerformances ?? [] });
        },
        (err: unknown) => {
          if (cancelled) return;
          setAvailable(
            isNetworkFailure(err) ? { state: "offline" } : { state: "failed", message: errorMessage(err, t) },
          );
        },
      );
    return () => {
      cancelled = true;
    };
  }, [client, institution.id, browserOnline, t, reload]);

  const importedById = new Map((imported ?? []).map((p) => [p.id, p]));
  const when = (ms: number) => formatDateTime(ms, locale);
  const now = Date.now();
  const { job, notice } = importer;

  const remove = async (p: ImportedPerformance) => {
    setRemoveError(null);
    try {
      await engine.removeImported(p.id);
    } catch (err) {
      setRemoveError(err instanceof Error ? err.message : String(err));
    }
  };

  return (
    <section className="sc-page" aria-labelledby="sc-import-title">
      <h1 id="sc-import-title">{t("importTitle")}</h1>
      <p className="sc-advice">{t("importAdvice")}</p>

      {job && (
        <div className="sc-progress" role="status">
          <p>{t("importing", { name: job.name })}</p>
          <progress
            data-testid="import-progress"
            max={job.total ?? undefined}
            value={job.total === null ? undefined : job.done}
          />
          <p>
            {job.total === null
              ? t("progressCount", { done: job.done })
              : t("progressOf", { done: job.done, total: job.total })}
          </p>
          <button type="button" onClick={importer.cancel}>
            {t("cancel")}
          </button>
        </div>
      )}
      {notice && (
        <p
          className={notice.kind === "error" ? "sc-error" : "sc-ok"}
          role={notice.kind === "error" ? "alert" : "status"}
          data-testid="import-notice"
        >
          {notice.text}
        </p>
      )}

      <h2>{t("available")}</h2>
      {available.state === "offline" && (
        <div className="sc-notice" data-testid="import-offline">
          <p>{t("importNeedsNetwork")}</p>
          <button type="button" onClick={() => setReload((n) => n + 1)}>
            {t("retry")}
          </button>
        </div>
      )}
      {available.state === "failed" && (
        <div className="sc-notice">
          <p className="sc-error" role="alert">
            {available.message}
          </p>
          <button type="button" onClick={() => setReload((n) => n + 1)}>
            {t("retry")}
          </button>
        </div>
      )}
      {available.state === "loading" && <p>{t("loading")}</p>}
      {available.state === "loaded" && available.list.length === 0 && <p>{t("noAvailable")}</p>}
      {available.state === "loaded" && available.list.length > 0 && (
        <ul className="sc-list">
          {available.list.map((p) => {
            const already = importedById.get(p.id);
            const soon = !already && startsSoon(p, now);
            return (
              <li key={p.id} data-testid={`available-${p.id}`} className={soon ? "sc-soon" : undefined}>
                <div className="sc-list-main">
                  <strong>{p.eventName}</strong>
                  <span>{p.venueName}</span>
                  <span>
                    {performanceWhen({ ...p, startsAt: p.startsAt ? Date.parse(p.startsAt) : null }, when)}
                  </span>
                  <span className="sc-muted">
                    {t("tickets", { count: p.ticketCount })}
                    {already && ` — ${t("alreadyImported")}`}
                  </span>
                  {soon && (
                    <span className="sc-warning" data-testid={`starts-soon-${p.id}`}>
                      {t("startsSoon")}
                    </span>
                  )}
                </div>
                <button
                  type="button"
                  className="sc-primary sc-big"
                  disabled={job !== null}
                  onClick={() => importer.start(p)}
                >
                  {already ? t("updateAction") : t("importAction")}
                </button>
              </li>
            );
          })}
        </ul>
      )}

      <h2>{t("imported")}</h2>
      {removeError && (
        <p className="sc-error" role="alert">
          {removeError}
        </p>
      )}
      {imported === null ? (
        <p>{t("loading")}</p>
      ) : imported.length === 0 ? (
        <p>{t("noImported")}</p>
      ) : (
        <ul className="sc-list">
          {imported.map((p) => (
            <li key={p.id} data-testid={`imported-${p.id}`}>
              <div className="sc-list-main">
                <strong>{p.eventName}</strong>
                <span>{p.venueName}</span>
                <span>{performanceWhen(p, when)}</span>
                <span className="sc-muted">{t("tickets", { count: p.ticketCount })}</span>
                <span className="sc-muted">
                  {t("lastSync")} :{" "}
                  <time dateTime={new Date(p.lastSyncAt).toISOString()}>
                    {formatWhen(p.lastSyncAt, locale)}
                  </time>
                </span>
              </div>
              <ConfirmButton
                label={t("remove")}
                confirmLabel={t("removeConfirm")}
                question={t("removeQuestion", { name: p.eventName })}
                cancelLabel={t("cancel")}
                disabled={job?.id === p.id}
                onConfirm={() => remove(p)}
              />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
