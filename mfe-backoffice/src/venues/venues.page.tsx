import type { DocumentNode } from "@apollo/client";
import { useApolloClient, useMutation, useQuery } from "@apollo/client/react";
import { type FormEvent, useId, useState } from "react";
import { errorMessage } from "../common/errors";
import { FormFooter } from "../common/form-footer";
import { formatDateTime } from "../common/i18n";
import { ShellLink } from "../common/link";
import { boPath, useBackOffice } from "../common/page-frame";
import { PerformanceForm } from "./performance-form";
import {
  ARCHIVE,
  CREATE_EVENT,
  CREATE_PERFORMANCE,
  CREATE_VENUE,
  EVENTS,
  type EventRow,
  PERFORMANCES,
  type PerformanceInput,
  type PerformanceRow,
  UPDATE_EVENT,
  UPDATE_PERFORMANCE,
  UPDATE_VENUE,
  VENUES,
  type Venue,
} from "./venues.queries";

/** Runs a mutation, says how it went; throws the French message for a form to keep its values. */
function useAction() {
  const { t, notify } = useBackOffice();
  return async (action: () => Promise<unknown>, success: string) => {
    try {
      await action();
      notify(success, "success");
    } catch (e) {
      const message = errorMessage(e, t);
      notify(message, "error");
      throw new Error(message);
    }
  };
}

function ArchiveButton({
  kind,
  id,
  archived,
  label,
}: {
  kind: keyof typeof ARCHIVE;
  id: string;
  archived: boolean;
  label: string;
}) {
  const { t } = useBackOffice();
  const client = useApolloClient();
  const run = useAction();
  const mutation: DocumentNode = ARCHIVE[kind][archived ? "unarchive" : "archive"];
  return (
    <button
      type="button"
      aria-label={`${archived ? t("unarchive") : t("archive")} — ${label}`}
      onClick={() =>
        run(
          () => client.mutate({ mutation, variables: { id } }),
          archived ? t("unarchivedDone") : t("archivedDone"),
        ).catch(() => undefined)
      }
    >
      {archived ? t("unarchive") : t("archive")}
    </button>
  );
}

function NameForm({
  title,
  fields,
  initial,
  onSubmit,
  onCancel,
}: {
  title: string;
  fields: { key: string; label: string }[];
  initial: Record<string, string>;
  onSubmit(values: Record<string, string>): Promise<void>;
  onCancel(): void;
}) {
  const { t } = useBackOffice();
  const id = useId();
  const [values, setValues] = useState(initial);
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError("");
    try {
      await onSubmit(values);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="bo-panel" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{title}</h3>
      <fieldset disabled={busy}>
        {fields.map((f) => (
          <div key={f.key} className="bo-field">
            <label htmlFor={`${id}-${f.key}`}>{f.label}</label>
            <input
              id={`${id}-${f.key}`}
              value={values[f.key] ?? ""}
              onChange={(e) => setValues({ ...values, [f.key]: e.target.value })}
            />
          </div>
        ))}
        <FormFooter error={error} submitLabel={t("save")} onCancel={onCancel} />
      </fieldset>
    </form>
  );
}

const optional = (text: string | undefined) => (text?.trim() ? text.trim() : undefined);

/** Venues → events → performances of the current institution: create, edit, archive. */
export function VenuesPage() {
  const { t, institution } = useBackOffice();
  const id = useId();
  const run = useAction();
  const venues = useQuery(VENUES, {
    variables: { institutionId: institution.id },
    fetchPolicy: "cache-and-network",
  });
  const [venueId, setVenueId] = useState("");
  const [venueForm, setVenueForm] = useState<"create" | "edit" | null>(null);
  const [createVenue] = useMutation(CREATE_VENUE, {
    refetchQueries: [{ query: VENUES, variables: { institutionId: institution.id } }],
    awaitRefetchQueries: true,
  });
  const [updateVenue] = useMutation(UPDATE_VENUE);
  const list = venues.data?.venues ?? [];
  const venue = list.find((v) => v.id === venueId);

  const saveVenue = async (values: Record<string, string>) => {
    const input = { name: values.name ?? "", address: optional(values.address), city: optional(values.city) };
    if (venueForm === "edit" && venue)
      await run(() => updateVenue({ variables: { id: venue.id, input } }), t("saved"));
    else
      await run(async () => {
        const result = await createVenue({ variables: { institutionId: institution.id, input } });
        if (result.data) setVenueId(result.data.createVenue.id);
      }, t("saved"));
    setVenueForm(null);
  };

  return (
    <section aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>{t("catalogue")}</h1>
      <div className="bo-toolbar">
        <div className="bo-field">
          <label htmlFor={`${id}-venue`}>{t("venue")}</label>
          <select id={`${id}-venue`} value={venueId} onChange={(e) => setVenueId(e.target.value)}>
            <option value="">{t("chooseVenue")}</option>
            {list.map((v) => (
              <option key={v.id} value={v.id}>
                {v.name}
                {v.city ? ` (${v.city})` : ""}
                {v.archived ? ` — ${t("archived")}` : ""}
              </option>
            ))}
          </select>
        </div>
        <div className="bo-actions">
          <button type="button" onClick={() => setVenueForm("create")}>
            + {t("createVenue")}
          </button>
          {venue && (
            <>
              <button type="button" onClick={() => setVenueForm("edit")}>
                {t("editVenue")}
              </button>
              <ArchiveButton kind="venue" id={venue.id} archived={venue.archived} label={venue.name} />
            </>
          )}
        </div>
      </div>
      {venueForm && (
        <NameForm
          key={venueForm === "edit" ? venue?.id : "new"}
          title={venueForm === "edit" ? t("editVenue") : t("createVenue")}
          fields={[
            { key: "name", label: t("name") },
            { key: "address", label: t("address") },
            { key: "city", label: t("city") },
          ]}
          initial={
            venueForm === "edit" && venue
              ? { name: venue.name, address: venue.address ?? "", city: venue.city ?? "" }
              : { name: "", address: "", city: "" }
          }
          onSubmit={saveVenue}
          onCancel={() => setVenueForm(null)}
        />
      )}
      {venue && <VenueEvents key={venue.id} venue={venue} />}
    </section>
  );
}

function VenueEvents({ venue }: { venue: Venue }) {
  const { t } = useBackOffice();
  const id = useId();
  const run = useAction();
  const variables = { venueId: venue.id };
  const events = useQuery(EVENTS, { variables, fetchPolicy: "cache-and-network" });
  const [createEvent] = useMutation(CREATE_EVENT, {
    refetchQueries: [{ query: EVENTS, variables }],
    awaitRefetchQueries: true,
  });
  const [updateEvent] = useMutation(UPDATE_EVENT);
  const [form, setForm] = useState<{ event?: EventRow } | null>(null);
  const [openEvent, setOpenEvent] = useState<string | null>(null);
  const list = events.data?.events ?? [];
  const shown = list.find((e) => e.id === openEvent);

  const save = async (values: Record<string, string>) => {
    const input = { venueId: venue.id, name: values.name ?? "" };
    const editing = form?.event;
    if (editing) await run(() => updateEvent({ variables: { id: editing.id, input } }), t("saved"));
    else await run(() => createEvent({ variables: { input } }), t("saved"));
    setForm(null);
  };

  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>
        {t("events")} — {venue.name}
      </h2>
      <table>
        <tbody>
          {list.map((event) => (
            <tr key={event.id}>
              <td>
                {event.name}
                {event.archived && <span className="bo-muted"> — {t("archived")}</span>}
              </td>
              <td>
                <div className="bo-actions">
                  <button
                    type="button"
                    aria-expanded={openEvent === event.id}
                    onClick={() => setOpenEvent(openEvent === event.id ? null : event.id)}
                  >
                    {t("showPerformances")}
                  </button>
                  <button
                    type="button"
                    aria-label={`${t("editEvent")} — ${event.name}`}
                    onClick={() => setForm({ event })}
                  >
                    {t("edit")}
                  </button>
                  <ArchiveButton kind="event" id={event.id} archived={event.archived} label={event.name} />
                </div>
              </td>
            </tr>
          ))}
          {list.length === 0 && !events.loading && (
            <tr>
              <td>{t("noEvents")}</td>
            </tr>
          )}
        </tbody>
      </table>
      <p>
        <button type="button" onClick={() => setForm({})}>
          + {t("createEvent")}
        </button>
      </p>
      {form && (
        <NameForm
          key={form.event?.id ?? "new"}
          title={form.event ? t("editEvent") : t("createEvent")}
          fields={[{ key: "name", label: t("name") }]}
          initial={{ name: form.event?.name ?? "" }}
          onSubmit={save}
          onCancel={() => setForm(null)}
        />
      )}
      {shown && <EventPerformances key={shown.id} event={shown} />}
    </section>
  );
}

function EventPerformances({ event }: { event: EventRow }) {
  const { t, locale } = useBackOffice();
  const id = useId();
  const run = useAction();
  const variables = { eventId: event.id };
  const performances = useQuery(PERFORMANCES, { variables, fetchPolicy: "cache-and-network" });
  const [create] = useMutation(CREATE_PERFORMANCE, {
    refetchQueries: [{ query: PERFORMANCES, variables }],
    awaitRefetchQueries: true,
  });
  const [update] = useMutation(UPDATE_PERFORMANCE);
  const [form, setForm] = useState<{ performance?: PerformanceRow } | null>(null);
  const modes = { single: t("modeSingle"), inOut: t("modeInOut"), multi: t("modeMulti") };

  const save = async (input: PerformanceInput) => {
    const editing = form?.performance;
    if (editing) await run(() => update({ variables: { id: editing.id, input } }), t("saved"));
    else await run(() => create({ variables: { input: { ...input, eventId: event.id } } }), t("saved"));
    setForm(null);
  };

  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("performancesOf", { name: event.name })}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">{t("performance")}</th>
            <th scope="col">{t("endsAt")}</th>
            <th scope="col">{t("importEnd")}</th>
            <th scope="col">{t("controlMode")}</th>
            <th scope="col">{t("pda")}</th>
            <th scope="col">{t("actions")}</th>
          </tr>
        </thead>
        <tbody>
          {performances.data?.performances.map((p) => {
            const name = p.dated ? formatDateTime(p.startsAt, locale) : (p.label ?? t("undated"));
            return (
              <tr key={p.id}>
                <td>
                  {name}
                  {!p.dated && <div className="bo-muted">{t("undated")}</div>}
                  {p.archived && <div className="bo-muted">{t("archived")}</div>}
                </td>
                <td>{formatDateTime(p.endsAt, locale)}</td>
                <td>{formatDateTime(p.importEndsAt, locale)}</td>
                <td>
                  {modes[p.controlMode]}
                  {p.controlMode === "multi" && (
                    <div className="bo-muted">
                      {p.maxPasses ?? "∞"} / {p.maxPassesPerDay ?? "∞"}
                    </div>
                  )}
                </td>
                <td>{p.controlEnabled ? t("yes") : t("no")}</td>
                <td>
                  <div className="bo-actions">
                    <ShellLink
                      to={boPath(`performances/${p.id}/sources`)}
                      label={`${t("sources")} — ${name}`}
                    >
                      {t("sources")}
                    </ShellLink>
                    <button
                      type="button"
                      aria-label={`${t("editPerformance")} — ${name}`}
                      onClick={() => setForm({ performance: p })}
                    >
                      {t("edit")}
                    </button>
                    <ArchiveButton kind="performance" id={p.id} archived={p.archived} label={name} />
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p>
        <button type="button" onClick={() => setForm({})}>
          + {t("createPerformance")}
        </button>
      </p>
      {form && (
        <PerformanceForm
          key={form.performance?.id ?? "new"}
          performance={form.performance}
          title={form.performance ? t("editPerformance") : t("createPerformance")}
          onSubmit={save}
          onCancel={() => setForm(null)}
        />
      )}
    </section>
  );
}
