import { useMutation, useQuery } from "@apollo/client/react";
import { type FormEvent, useEffect, useId, useState } from "react";
import { ConfigFields, type ConfigValues, initialValues, valuesToSend } from "../common/config-fields";
import { ConfirmButton } from "../common/confirm-button";
import { errorMessage } from "../common/errors";
import { FormFooter } from "../common/form-footer";
import { formatDateTime, formatDuration } from "../common/i18n";
import { useBackOffice } from "../common/page-frame";
import { PerformanceHeading } from "../common/performance-heading";
import { SOURCE_TYPES, SOURCES, type SourceType } from "../sources/sources.queries";
import { uploadTicketFile } from "./file-upload";
import {
  ADD_PERFORMANCE_SOURCE,
  PERFORMANCE_SOURCES,
  type PerformanceSource,
  REFRESH_PERFORMANCE_SOURCE,
  REMOVE_PERFORMANCE_SOURCE,
  UPDATE_PERFORMANCE_SOURCE,
} from "./performance-sources.queries";

const POLL_MS = 2000;
/** A refresh is queued, not run in the request: watch for it this long even before it shows as running. */
const REFRESH_WATCH_MS = 30_000;

/** The sources of one performance: add with parameters, edit, remove, refresh, import a file. */
export function PerformanceSourcesPage({ params }: { params: Record<string, string> }) {
  const { t } = useBackOffice();
  const id = useId();
  const performanceId = params.id ?? "";
  const { data, error, loading, startPolling, stopPolling } = useQuery(PERFORMANCE_SOURCES, {
    variables: { id: performanceId },
    fetchPolicy: "cache-and-network",
  });
  const types = useQuery(SOURCE_TYPES);
  const performance = data?.performance;
  const running = performance?.sources.some((link) => link.running) ?? false;
  const [awaitingRefresh, setAwaitingRefresh] = useState(false);

  // While an import runs (or a refresh waits its turn), its progress shows every 2 s; nothing is
  // polled otherwise.
  useEffect(() => {
    if (running || awaitingRefresh) startPolling(POLL_MS);
    else stopPolling();
    return () => stopPolling();
  }, [running, awaitingRefresh, startPolling, stopPolling]);
  useEffect(() => {
    if (!awaitingRefresh) return;
    const timer = setTimeout(() => setAwaitingRefresh(false), REFRESH_WATCH_MS);
    return () => clearTimeout(timer);
  }, [awaitingRefresh]);

  const typeOf = (connectorId: string) => types.data?.sourceTypes.find((x) => x.id === connectorId);

  return (
    <section aria-labelledby={`${id}-title`}>
      <PerformanceHeading id={`${id}-title`} title={t("sourcesOfPerformance")} performance={performance} />
      {performance?.venue && <p className="bo-muted">{performance.venue.name}</p>}
      {error && (
        <p className="bo-error" role="alert">
          {errorMessage(error, t)}
        </p>
      )}
      {!performance && loading && <p>{t("loading")}</p>}
      {performance && (
        <>
          {performance.sources.length === 0 && <p>{t("noPerfSources")}</p>}
          {performance.sources.map((link) => (
            <LinkPanel
              key={link.id}
              link={link}
              type={typeOf(link.source.connectorId)}
              performanceId={performance.id}
              onRefreshed={() => setAwaitingRefresh(true)}
            />
          ))}
          {performance.institution && (
            <AddSource
              performanceId={performance.id}
              institutionId={performance.institution.id}
              types={types.data?.sourceTypes ?? []}
              taken={performance.sources.map((link) => link.source.id)}
            />
          )}
        </>
      )}
    </section>
  );
}

function refetchOf(performanceId: string) {
  return [{ query: PERFORMANCE_SOURCES, variables: { id: performanceId } }];
}

function LinkPanel({
  link,
  type,
  performanceId,
  onRefreshed,
}: {
  link: PerformanceSource;
  type: SourceType | undefined;
  performanceId: string;
  onRefreshed(): void;
}) {
  const { t, notify } = useBackOffice();
  const id = useId();
  const [editing, setEditing] = useState(false);
  const refetchQueries = refetchOf(performanceId);
  const [refresh, { loading: refreshing }] = useMutation(REFRESH_PERFORMANCE_SOURCE);
  const [remove] = useMutation(REMOVE_PERFORMANCE_SOURCE, { refetchQueries, awaitRefetchQueries: true });
  const [update] = useMutation(UPDATE_PERFORMANCE_SOURCE);
  const schema = type?.performanceParams ?? [];
  const isFile = link.source.kind === "file";

  const onRefresh = async () => {
    try {
      await refresh({ variables: { id: link.id } });
      notify(t("refreshed"), "success");
      onRefreshed();
    } catch (error) {
      notify(errorMessage(error, t), "error");
    }
  };
  const onRemove = async () => {
    try {
      await remove({ variables: { id: link.id } });
      notify(t("removed"), "success");
    } catch (error) {
      notify(errorMessage(error, t), "error");
    }
  };
  const onSave = async (params: ConfigValues) => {
    try {
      await update({ variables: { id: link.id, input: { params } } });
      notify(t("saved"), "success");
      setEditing(false);
    } catch (error) {
      const message = errorMessage(error, t);
      notify(message, "error");
      throw new Error(message);
    }
  };

  return (
    <article className="bo-panel" aria-labelledby={`${id}-name`}>
      <h2 id={`${id}-name`}>
        {link.source.name} <span className="bo-muted">({link.source.typeLabel})</span>
      </h2>
      {link.source.configProblems.length > 0 && (
        <ul className="bo-error">
          {link.source.configProblems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
      {schema.length > 0 && !editing && (
        <p>
          {t("params")} :{" "}
          {schema
            .map((field) => `${field.label} = ${formatParam(link.params[field.key], t("yes"), t("no"))}`)
            .join(" ; ")}
        </p>
      )}
      <SyncStatusView link={link} />
      {editing ? (
        <ParamsForm
          idPrefix={`${id}-params`}
          schema={schema}
          stored={link.params}
          submitLabel={t("save")}
          onSubmit={onSave}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <div className="bo-actions">
          {!isFile && (
            <button type="button" onClick={onRefresh} disabled={refreshing || link.running}>
              {t("refresh")}
            </button>
          )}
          {schema.length > 0 && (
            <button type="button" onClick={() => setEditing(true)}>
              {t("edit")}
            </button>
          )}
          <ConfirmButton
            label={t("remove")}
            question={t("confirmRemove", { name: link.source.name })}
            onConfirm={onRemove}
          />
        </div>
      )}
      {isFile && <FileImport link={link} />}
    </article>
  );
}

function formatParam(value: unknown, yes: string, no: string): string {
  if (value === true) return yes;
  if (value === false) return no;
  if (value === undefined || value === null || value === "") return "—";
  return String(value);
}

function SyncStatusView({ link }: { link: PerformanceSource }) {
  const { t, locale } = useBackOffice();
  const s = link.status;
  return (
    <>
      {link.running && (
        <div role="status" aria-live="polite">
          <p>
            {t("running", {
              since: formatDateTime(s.runningSince, locale),
              records: s.runningRecords ?? 0,
            })}
          </p>
          {s.runningProgress !== null && (
            <progress max={1} value={s.runningProgress}>
              {Math.round(s.runningProgress * 100)} %
            </progress>
          )}
        </div>
      )}
      <dl className="bo-status">
        <dt>{t("lastSync")}</dt>
        <dd>{s.lastSyncAt ? formatDateTime(s.lastSyncAt, locale) : t("never")}</dd>
        {s.lastDurationMs !== null && (
          <>
            <dt>{t("duration")}</dt>
            <dd>{formatDuration(s.lastDurationMs)}</dd>
          </>
        )}
        {s.lastRecords !== null && (
          <>
            <dt>{t("ticketsRead")}</dt>
            <dd>{s.lastRecords}</dd>
          </>
        )}
        {s.lastChanged !== null && (
          <>
            <dt>{t("ticketsChanged")}</dt>
            <dd>{s.lastChanged}</dd>
          </>
        )}
        {link.source.kind === "online" && (
          <>
            <dt>{t("nextSync")}</dt>
            <dd>{link.nextSyncAt ? formatDateTime(link.nextSyncAt, locale) : t("noNextSync")}</dd>
          </>
        )}
        {s.lastError && (
          <>
            <dt>{t("lastError")}</dt>
            <dd className="bo-error">
              {s.lastError}
              {s.lastErrorAt && <span className="bo-muted"> ({formatDateTime(s.lastErrorAt, locale)})</span>}
            </dd>
          </>
        )}
      </dl>
    </>
  );
}

function FileImport({ link }: { link: PerformanceSource }) {
  const { t, notify, client } = useBackOffice();
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    setResult(null);
    setProgress(0);
    try {
      const reply = await uploadTicketFile(
        link.id,
        file,
        (sent, total) => {
          setProgress(total ? sent / total : 0);
          // Sent whole: the gateway now checks then imports it; its own progress shows above.
          if (total && sent >= total) void client.refetchQueries({ include: [PERFORMANCE_SOURCES] });
        },
        t("networkError"),
      );
      const { records, created, updated, unchanged, rejected } = reply;
      const text = t("uploadDone", { records, created, updated, unchanged, rejected });
      setResult({ ok: true, text });
      notify(text, "success");
    } catch (error) {
      const text = error instanceof Error ? error.message : t("unknownError");
      setResult({ ok: false, text });
      notify(text, "error");
    } finally {
      setProgress(null);
      await client.refetchQueries({ include: [PERFORMANCE_SOURCES] }).catch(() => undefined);
    }
  };

  return (
    <form onSubmit={submit} className="bo-toolbar" aria-label={t("importFile")}>
      <div className="bo-field">
        <label htmlFor={`${id}-file`}>{t("fileToImport")}</label>
        <input
          id={`${id}-file`}
          type="file"
          accept=".csv,.txt,.xlsx,.xls,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          disabled={progress !== null}
        />
      </div>
      <button type="submit" className="bo-primary" disabled={!file || progress !== null}>
        {t("importFile")}
      </button>
      {progress !== null && (
        <div role="status" aria-live="polite">
          <progress max={1} value={progress} aria-label={t("importFile")} />{" "}
          {progress < 1 ? t("uploading", { percent: Math.round(progress * 100) }) : t("importing")}
        </div>
      )}
      {result && (
        <p className={result.ok ? "bo-ok" : "bo-error"} role={result.ok ? "status" : "alert"}>
          {result.text}
        </p>
      )}
    </form>
  );
}

function ParamsForm({
  idPrefix,
  schema,
  stored,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  idPrefix: string;
  schema: SourceType["performanceParams"];
  stored?: Record<string, unknown>;
  submitLabel: string;
  onSubmit(params: ConfigValues): Promise<void>;
  onCancel?: () => void;
}) {
  const { t } = useBackOffice();
  const [values, setValues] = useState<ConfigValues>(() => initialValues(schema, stored));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError("");
    try {
      await onSubmit(valuesToSend(schema, values));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} noValidate>
      <fieldset disabled={busy}>
        {schema.length === 0 ? (
          <p className="bo-help">{t("noParams")}</p>
        ) : (
          <ConfigFields idPrefix={idPrefix} schema={schema} values={values} onChange={setValues} />
        )}
        <FormFooter error={error} submitLabel={submitLabel} onCancel={onCancel} />
      </fieldset>
    </form>
  );
}

function AddSource({
  performanceId,
  institutionId,
  types,
  taken,
}: {
  performanceId: string;
  institutionId: string;
  types: SourceType[];
  taken: string[];
}) {
  const { t, notify } = useBackOffice();
  const id = useId();
  const sources = useQuery(SOURCES, { variables: { institutionId } });
  const [add] = useMutation(ADD_PERFORMANCE_SOURCE, {
    refetchQueries: refetchOf(performanceId),
    awaitRefetchQueries: true,
  });
  const [sourceId, setSourceId] = useState("");
  const [formKey, setFormKey] = useState(0);
  const available = (sources.data?.sources ?? []).filter((s) => !taken.includes(s.id));
  const chosen = available.find((s) => s.id === sourceId);
  const schema = types.find((x) => x.id === chosen?.connectorId)?.performanceParams ?? [];

  const onSubmit = async (params: ConfigValues) => {
    if (!chosen) return;
    try {
      await add({ variables: { performanceId, sourceId: chosen.id, input: { params } } });
      notify(t("added"), "success");
      setSourceId("");
      setFormKey(formKey + 1);
    } catch (error) {
      const message = errorMessage(error, t);
      notify(message, "error");
      throw new Error(message);
    }
  };

  if (available.length === 0) return null;
  return (
    <section className="bo-panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("addPerfSource")}</h2>
      <div className="bo-field">
        <label htmlFor={`${id}-source`}>{t("chooseSource")}</label>
        <select id={`${id}-source`} value={sourceId} onChange={(e) => setSourceId(e.target.value)}>
          <option value="">{t("chooseSourcePlaceholder")}</option>
          {available.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name} ({s.typeLabel})
            </option>
          ))}
        </select>
      </div>
      {chosen && (
        <ParamsForm
          key={`${chosen.id}-${formKey}`}
          idPrefix={`${id}-params`}
          schema={schema}
          submitLabel={t("addPerfSource")}
          onSubmit={onSubmit}
        />
      )}
    </section>
  );
}
