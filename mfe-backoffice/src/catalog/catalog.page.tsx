import { gql, type TypedDocumentNode } from "@apollo/client";
import { useMutation, useQuery } from "@apollo/client/react";
import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { errorMessage } from "../common/errors";
import { formatDateTime } from "../common/i18n";
import { useBackOffice } from "../common/page-frame";

interface CatalogDate {
  id: string;
  startsAt: string;
  endsAt: string | null;
}
interface CatalogEvent {
  id: string;
  name: string;
  dates: CatalogDate[];
}
interface CatalogVenue {
  id: string;
  name: string;
  events: CatalogEvent[];
}
interface SourceCatalog {
  source: { id: string; name: string; typeLabel: string };
  venues: CatalogVenue[];
  error: string | null;
}

const CATALOGS: TypedDocumentNode<{ partnerCatalogs: SourceCatalog[] }, { institutionId: string }> = gql`
  query BackOfficePartnerCatalogs($institutionId: ID!) {
    partnerCatalogs(institutionId: $institutionId) {
      source {
        id
        name
        typeLabel
      }
      error
      venues {
        id
        name
        events {
          id
          name
          dates {
            id
            startsAt
            endsAt
          }
        }
      }
    }
  }
`;

const CREATE_FROM_CATALOG: TypedDocumentNode<
  { createPerformancesFromCatalog: { id: string }[] },
  { input: { sourceId: string; dateIds: string[] } }
> = gql`
  mutation BackOfficeCreatePerformancesFromCatalog($input: CatalogSelectionInput!) {
    createPerformancesFromCatalog(input: $input) {
      id
    }
  }
`;

/** A checkbox ticked, unticked or, for a branch partly ticked, indeterminate. */
function TreeCheckbox({
  id,
  label,
  ids,
  selected,
  onChange,
}: {
  id: string;
  label: string;
  ids: string[];
  selected: Set<string>;
  onChange(ids: string[], on: boolean): void;
}) {
  const ref = useRef<HTMLInputElement>(null);
  const count = ids.filter((x) => selected.has(x)).length;
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = count > 0 && count < ids.length;
  }, [count, ids.length]);
  return (
    <span className="bo-field-inline">
      <input
        ref={ref}
        id={id}
        type="checkbox"
        checked={ids.length > 0 && count === ids.length}
        onChange={(e) => onChange(ids, e.target.checked)}
      />
      <label htmlFor={id}>{label}</label>
    </span>
  );
}

function Expander({ open, label, onToggle }: { open: boolean; label: string; onToggle(): void }) {
  return (
    <button type="button" className="bo-sort" aria-expanded={open} aria-label={label} onClick={onToggle}>
      {open ? "▼" : "▶"}
    </button>
  );
}

/** « Ajouter des représentations automatiquement »: the partners' venues → events → dates to tick. */
export function CatalogPage() {
  const { t, locale, institution, notify } = useBackOffice();
  const id = useId();
  const { data, loading, error, refetch } = useQuery(CATALOGS, {
    variables: { institutionId: institution.id },
    fetchPolicy: "network-only",
  });
  const [create, { loading: creating }] = useMutation(CREATE_FROM_CATALOG);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [open, setOpen] = useState<Set<string>>(new Set());
  const catalogs = data?.partnerCatalogs ?? [];

  // Date ids are the partner's own: keep them apart per source.
  const key = (sourceId: string, dateId: string) => `${sourceId}\u0000${dateId}`;
  const change = (ids: string[], on: boolean) => {
    const next = new Set(selected);
    for (const x of ids) on ? next.add(x) : next.delete(x);
    setSelected(next);
  };
  const flip = (node: string) => {
    const next = new Set(open);
    next.has(node) ? next.delete(node) : next.add(node);
    setOpen(next);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    let created = 0;
    for (const catalog of catalogs) {
      const dateIds = [...selected]
        .filter((x) => x.startsWith(`${catalog.source.id}\u0000`))
        .map((x) => x.slice(catalog.source.id.length + 1));
      if (dateIds.length === 0) continue;
      try {
        const result = await create({ variables: { input: { sourceId: catalog.source.id, dateIds } } });
        created += result.data?.createPerformancesFromCatalog.length ?? 0;
        change(
          dateIds.map((d) => key(catalog.source.id, d)),
          false,
        );
      } catch (e) {
        notify(`${catalog.source.name} : ${errorMessage(e, t)}`, "error");
        return;
      }
    }
    notify(t("catalogCreated", { count: created }), "success");
    await refetch();
  };

  return (
    <section aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>{t("catalogTitle")}</h1>
      {error && (
        <p className="bo-error" role="alert">
          {errorMessage(error, t)}
        </p>
      )}
      {loading && <p>{t("loading")}</p>}
      {!loading && catalogs.length === 0 && <p>{t("catalogNone")}</p>}
      <form onSubmit={submit}>
        <fieldset disabled={creating} className="bo-panel">
          {catalogs.map((catalog) => {
            const s = catalog.source.id;
            return (
              <div key={s}>
                <h2>
                  {catalog.source.name} <span className="bo-muted">({catalog.source.typeLabel})</span>
                </h2>
                {catalog.error && <p className="bo-error">{catalog.error}</p>}
                {!catalog.error && catalog.venues.length === 0 && (
                  <p className="bo-muted">{t("catalogEmpty")}</p>
                )}
                <ul className="bo-tree">
                  {catalog.venues.map((venue) => {
                    const venueNode = `${s}/v/${venue.id}`;
                    const venueIds = venue.events.flatMap((e) => e.dates.map((d) => key(s, d.id)));
                    return (
                      <li key={venue.id}>
                        <Expander
                          open={open.has(venueNode)}
                          label={`${venue.name} : ${open.has(venueNode) ? t("collapse") : t("expand")}`}
                          onToggle={() => flip(venueNode)}
                        />{" "}
                        <TreeCheckbox
                          id={`${id}-${s}-v-${venue.id}`}
                          label={venue.name || "—"}
                          ids={venueIds}
                          selected={selected}
                          onChange={change}
                        />
                        {open.has(venueNode) && (
                          <ul>
                            {venue.events.map((ev) => {
                              const eventNode = `${venueNode}/e/${ev.id}`;
                              return (
                                <li key={ev.id}>
                                  <Expander
                                    open={open.has(eventNode)}
                                    label={`${ev.name} : ${open.has(eventNode) ? t("collapse") : t("expand")}`}
                                    onToggle={() => flip(eventNode)}
                                  />{" "}
                                  <TreeCheckbox
                                    id={`${id}-${s}-e-${ev.id}`}
                                    label={ev.name}
                                    ids={ev.dates.map((d) => key(s, d.id))}
                                    selected={selected}
                                    onChange={change}
                                  />
                                  {open.has(eventNode) && (
                                    <ul>
                                      {ev.dates.map((date) => (
                                        <li key={date.id}>
                                          <TreeCheckbox
                                            id={`${id}-${s}-d-${date.id}`}
                                            label={`${formatDateTime(date.startsAt, locale)}${date.endsAt ? ` → ${formatDateTime(date.endsAt, locale)}` : ""}`}
                                            ids={[key(s, date.id)]}
                                            selected={selected}
                                            onChange={change}
                                          />
                                        </li>
                                      ))}
                                    </ul>
                                  )}
                                </li>
                              );
                            })}
                          </ul>
                        )}
                      </li>
                    );
                  })}
                </ul>
              </div>
            );
          })}
          {catalogs.length > 0 && (
            <div className="bo-actions">
              <button type="submit" className="bo-primary" disabled={selected.size === 0}>
                {t("catalogAdd", { count: selected.size })}
              </button>
              <button type="button" onClick={() => setSelected(new Set())}>
                {t("cancel")}
              </button>
            </div>
          )}
        </fieldset>
      </form>
    </section>
  );
}
