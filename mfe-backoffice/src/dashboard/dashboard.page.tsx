import { useMutation, useQuery, useSubscription } from "@apollo/client/react";
import { type FormEvent, useId, useState } from "react";
import { errorMessage } from "../common/errors";
import { formatDateTime } from "../common/i18n";
import { ShellLink } from "../common/link";
import { boPath, useBackOffice } from "../common/page-frame";
import {
  DASHBOARD,
  type DashboardFilter,
  type DashboardRow,
  PERFORMANCE_COUNTERS,
  SET_PERFORMANCE_CONTROL,
  type SortDirection,
  type SortField,
  VENUES_AND_EVENTS,
} from "./dashboard.queries";

interface FilterForm {
  search: string;
  from: string;
  to: string;
  control: "" | "on" | "off";
  venueId: string;
  eventId: string;
  archived: boolean;
  includeBranch: boolean;
}

const EMPTY_FILTERS: FilterForm = {
  search: "",
  from: "",
  to: "",
  control: "",
  venueId: "",
  eventId: "",
  archived: false,
  includeBranch: true,
};

/** A `<input type="date">` value as the start of that day in the browser's time zone. */
const dayStart = (day: string) => (day ? new Date(`${day}T00:00:00`).toISOString() : undefined);
const dayAfter = (day: string) => {
  if (!day) return undefined;
  const date = new Date(`${day}T00:00:00`);
  date.setDate(date.getDate() + 1);
  return date.toISOString();
};

function toFilter(form: FilterForm): DashboardFilter {
  return {
    archived: form.archived,
    ...(form.search.trim() ? { search: form.search.trim() } : {}),
    ...(form.from ? { from: dayStart(form.from) } : {}),
    ...(form.to ? { to: dayAfter(form.to) } : {}),
    ...(form.control ? { controlEnabled: form.control === "on" } : {}),
    ...(form.venueId ? { venueId: form.venueId } : {}),
    ...(form.eventId ? { eventId: form.eventId } : {}),
  };
}

const PAGE_SIZES = [10, 25, 50, 100];

/** The list of performances: the back office's home page. */
export function DashboardPage() {
  const { t, institution } = useBackOffice();
  const id = useId();
  const [draft, setDraft] = useState<FilterForm>(EMPTY_FILTERS);
  const [applied, setApplied] = useState<FilterForm>(EMPTY_FILTERS);
  const [sortField, setSortField] = useState<SortField>("startsAt");
  const [direction, setDirection] = useState<SortDirection>("asc");
  const [limit, setLimit] = useState(25);
  const [offset, setOffset] = useState(0);

  const { data, previousData, loading, error } = useQuery(DASHBOARD, {
    variables: {
      institutionId: institution.id,
      includeBranch: applied.includeBranch,
      filter: toFilter(applied),
      sort: { field: sortField, direction },
      page: { offset, limit },
    },
    fetchPolicy: "cache-and-network",
  });
  const page = (data ?? previousData)?.performanceDashboard;
  const places = useQuery(VENUES_AND_EVENTS, { variables: { institutionId: institution.id } });
  const events = (places.data?.events ?? []).filter((e) => !draft.venueId || e.venue?.id === draft.venueId);
  const total = page?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / limit));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setApplied(draft);
    setOffset(0);
  };
  const clear = () => {
    setDraft(EMPTY_FILTERS);
    setApplied(EMPTY_FILTERS);
    setOffset(0);
  };
  const sortOn = (field: SortField) => {
    if (field === sortField) setDirection(direction === "asc" ? "desc" : "asc");
    else {
      setSortField(field);
      setDirection("asc");
    }
    setOffset(0);
  };
  const ariaSort = (field: SortField) =>
    field === sortField ? (direction === "asc" ? "ascending" : "descending") : undefined;
  const sortMark = (field: SortField) => (field === sortField ? (direction === "asc" ? " ▲" : " ▼") : "");

  return (
    <section aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>
        {t("performances")} — {institution.name}
      </h1>
      <form className="bo-toolbar" onSubmit={submit} aria-label={t("search")}>
        <div className="bo-field">
          <label htmlFor={`${id}-search`}>{t("search")}</label>
          <input
            id={`${id}-search`}
            type="search"
            value={draft.search}
            onChange={(e) => setDraft({ ...draft, search: e.target.value })}
          />
        </div>
        <div className="bo-field">
          <label htmlFor={`${id}-from`}>{t("from")}</label>
          <input
            id={`${id}-from`}
            type="date"
            value={draft.from}
            onChange={(e) => setDraft({ ...draft, from: e.target.value })}
          />
        </div>
        <div className="bo-field">
          <label htmlFor={`${id}-to`}>{t("to")}</label>
          <input
            id={`${id}-to`}
            type="date"
            value={draft.to}
            onChange={(e) => setDraft({ ...draft, to: e.target.value })}
          />
        </div>
        <div className="bo-field">
          <label htmlFor={`${id}-control`}>{t("control")}</label>
          <select
            id={`${id}-control`}
            value={draft.control}
            onChange={(e) => setDraft({ ...draft, control: e.target.value as FilterForm["control"] })}
          >
            <option value="">{t("all")}</option>
            <option value="on">{t("controlled")}</option>
            <option value="off">{t("notControlled")}</option>
          </select>
        </div>
        <div className="bo-field">
          <label htmlFor={`${id}-venue`}>{t("venue")}</label>
          <select
            id={`${id}-venue`}
            value={draft.venueId}
            onChange={(e) => setDraft({ ...draft, venueId: e.target.value, eventId: "" })}
          >
            <option value="">{t("allVenues")}</option>
            {places.data?.venues.map((v) => (
              <option key={v.id} value={v.id}>
                {v.name}
              </option>
            ))}
          </select>
        </div>
        <div className="bo-field">
          <label htmlFor={`${id}-event`}>{t("event")}</label>
          <select
            id={`${id}-event`}
            value={draft.eventId}
            onChange={(e) => setDraft({ ...draft, eventId: e.target.value })}
          >
            <option value="">{t("allEvents")}</option>
            {events.map((ev) => (
              <option key={ev.id} value={ev.id}>
                {ev.name}
              </option>
            ))}
          </select>
        </div>
        <div className="bo-field bo-field-inline">
          <input
            id={`${id}-archived`}
            type="checkbox"
            checked={draft.archived}
            onChange={(e) => setDraft({ ...draft, archived: e.target.checked })}
          />
          <label htmlFor={`${id}-archived`}>{t("archivedOnly")}</label>
        </div>
        <div className="bo-field bo-field-inline">
          <input
            id={`${id}-branch`}
            type="checkbox"
            checked={draft.includeBranch}
            onChange={(e) => setDraft({ ...draft, includeBranch: e.target.checked })}
          />
          <label htmlFor={`${id}-branch`}>{t("includeBranch")}</label>
        </div>
        <div className="bo-actions">
          <button type="submit" className="bo-primary">
            {t("apply")}
          </button>
          <button type="button" onClick={clear}>
            {t("reset")}
          </button>
        </div>
      </form>

      <div className="bo-toolbar">
        <div className="bo-field">
          <label htmlFor={`${id}-sort`}>{t("sortBy")}</label>
          <select
            id={`${id}-sort`}
            value={sortField}
            onChange={(e) => {
              setSortField(e.target.value as SortField);
              setOffset(0);
            }}
          >
            <option value="startsAt">{t("sortStartsAt")}</option>
            <option value="endsAt">{t("sortEndsAt")}</option>
            <option value="importEndsAt">{t("sortImportEndsAt")}</option>
            <option value="createdAt">{t("sortCreatedAt")}</option>
          </select>
        </div>
        <div className="bo-field">
          <label htmlFor={`${id}-direction`}>{t("order")}</label>
          <select
            id={`${id}-direction`}
            value={direction}
            onChange={(e) => {
              setDirection(e.target.value as SortDirection);
              setOffset(0);
            }}
          >
            <option value="asc">{t("ascending")}</option>
            <option value="desc">{t("descending")}</option>
          </select>
        </div>
        <div className="bo-field">
          <label htmlFor={`${id}-limit`}>{t("perPage")}</label>
          <select
            id={`${id}-limit`}
            value={limit}
            onChange={(e) => {
              setLimit(Number(e.target.value));
              setOffset(0);
            }}
          >
            {PAGE_SIZES.map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
          </select>
        </div>
      </div>

      {error && (
        <p className="bo-error" role="alert">
          {errorMessage(error, t)}
        </p>
      )}
      <table aria-busy={loading}>
        <thead>
          <tr>
            <th scope="col">{t("institution")}</th>
            <th scope="col">{t("event")}</th>
            <th scope="col" aria-sort={ariaSort("startsAt")}>
              <button type="button" className="bo-sort" onClick={() => sortOn("startsAt")}>
                {t("performance")}
                {sortMark("startsAt")}
              </button>
            </th>
            <th scope="col" aria-sort={ariaSort("importEndsAt")}>
              <button type="button" className="bo-sort" onClick={() => sortOn("importEndsAt")}>
                {t("importEnd")}
                {sortMark("importEndsAt")}
              </button>
            </th>
            <th scope="col" className="bo-num">
              {t("gauge")}
            </th>
            <th scope="col" className="bo-num">
              {t("counter")}
            </th>
            <th scope="col">{t("pda")}</th>
            <th scope="col">{t("actions")}</th>
          </tr>
        </thead>
        <tbody>
          {page?.rows.map((row) => (
            <DashboardLine key={row.performance.id} row={row} />
          ))}
          {page && page.rows.length === 0 && (
            <tr>
              <td colSpan={8}>{t("noPerformances")}</td>
            </tr>
          )}
          {!page && loading && (
            <tr>
              <td colSpan={8}>{t("loading")}</td>
            </tr>
          )}
        </tbody>
      </table>
      <nav className="bo-pager" aria-label="Pagination">
        <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - limit))}>
          {t("previous")}
        </button>
        <span aria-live="polite">{t("pageOf", { page: Math.floor(offset / limit) + 1, pages, total })}</span>
        <button type="button" disabled={offset + limit >= total} onClick={() => setOffset(offset + limit)}>
          {t("next")}
        </button>
      </nav>
    </section>
  );
}

function DashboardLine({ row }: { row: DashboardRow }) {
  const { t, locale, notify } = useBackOffice();
  const p = row.performance;
  // Live counters for the rows on screen; the query's values until the first update.
  const { data: live } = useSubscription(PERFORMANCE_COUNTERS, { variables: { performanceId: p.id } });
  const counters = live?.performanceCounters;
  const admitted = counters?.admittedCount ?? row.admitted;
  const valid = counters?.validCount ?? row.valid;
  const gauge = counters?.gaugePercent ?? row.gaugePercent;
  const [setControl, { loading: saving }] = useMutation(SET_PERFORMANCE_CONTROL);
  const when = p.dated ? formatDateTime(p.startsAt, locale) : (p.label ?? t("undated"));
  const title = `${row.event.name} — ${when}`;

  const toggle = async (controlEnabled: boolean) => {
    try {
      await setControl({ variables: { id: p.id, controlEnabled } });
      notify(t(controlEnabled ? "controlOn" : "controlOff"), "success");
    } catch (error) {
      notify(errorMessage(error, t), "error");
    }
  };

  return (
    <tr>
      <td>{row.institution.name}</td>
      <td>
        {row.event.name}
        <div className="bo-muted">{row.venue.name}</div>
      </td>
      <td>
        {when}
        {!p.dated && <div className="bo-muted">{t("undated")}</div>}
      </td>
      <td>{formatDateTime(p.importEndsAt, locale)}</td>
      <td className="bo-num">{gauge} %</td>
      <td className="bo-num">
        {admitted} / {valid}
      </td>
      <td>
        <input
          type="checkbox"
          checked={p.controlEnabled}
          disabled={saving}
          aria-label={t("pdaOf", { name: title })}
          onChange={(e) => toggle(e.target.checked)}
        />
      </td>
      <td>
        <div className="bo-actions">
          <ShellLink to={boPath(`performances/${p.id}/sources`)} label={`${t("sources")} — ${title}`}>
            {t("sources")}
          </ShellLink>
          <ShellLink to={boPath(`performances/${p.id}/categories`)} label={`${t("categories")} — ${title}`}>
            {t("categories")}
            {p.excludedCategories.length > 0 && (
              <span className="bo-flag" title={t("filterSet")}>
                {p.excludedCategories.length}
              </span>
            )}
          </ShellLink>
          <ShellLink to={`/reports/performances/${p.id}`} label={`${t("reports")} — ${title}`}>
            {t("reports")}
          </ShellLink>
        </div>
      </td>
    </tr>
  );
}
