import { gql, type TypedDocumentNode } from "@apollo/client";
import { useQuery } from "@apollo/client/react";
import { type KeyboardEvent, useId, useMemo, useState } from "react";
import { errorMessage } from "../common/errors";
import { ShellLink } from "../common/link";
import { boPath, InstitutionScope, useBackOffice } from "../common/page-frame";
import { SourcesPage } from "../sources/sources.page";
import { UsersPage } from "../users/users.page";

const INSTITUTION: TypedDocumentNode<{ institution: { id: string; name: string } }, { id: string }> = gql`
  query BackOfficeInstitution($id: ID!) {
    institution(id: $id) {
      id
      name
    }
  }
`;

const TABS = ["users", "sources"] as const;
type Tab = (typeof TABS)[number];

/** The settings page of an institution (the guide): its « Utilisateurs » and « Sources » tabs. */
export function InstitutionSettingsPage({ params }: { params: Record<string, string> }) {
  const { t } = useBackOffice();
  const id = useId();
  const { data, error, loading } = useQuery(INSTITUTION, { variables: { id: params.id } });
  const [tab, setTab] = useState<Tab>("users");
  const institution = useMemo(
    () => (data ? { id: data.institution.id, name: data.institution.name } : undefined),
    [data],
  );
  // Arrow keys move between tabs, as the WAI-ARIA tabs pattern says.
  const onKeyDown = (event: KeyboardEvent<HTMLButtonElement>) => {
    if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") return;
    const next = TABS[(TABS.indexOf(tab) + (event.key === "ArrowRight" ? 1 : TABS.length - 1)) % TABS.length];
    setTab(next);
    document.getElementById(`${id}-tab-${next}`)?.focus();
  };

  if (loading) return <p>{t("loading")}</p>;
  if (error || !institution) return <p role="alert">{errorMessage(error, t)}</p>;
  return (
    <section aria-labelledby={`${id}-title`}>
      <p>
        <ShellLink to={boPath("institutions")}>{t("institutions")}</ShellLink>
      </p>
      <h1 id={`${id}-title`}>{t("settingsOf", { name: institution.name })}</h1>
      <div role="tablist" aria-label={t("settingsOf", { name: institution.name })} className="bo-actions">
        {TABS.map((name) => (
          <button
            key={name}
            id={`${id}-tab-${name}`}
            type="button"
            role="tab"
            aria-selected={tab === name}
            aria-controls={`${id}-panel`}
            tabIndex={tab === name ? 0 : -1}
            className={tab === name ? "bo-primary" : undefined}
            onClick={() => setTab(name)}
            onKeyDown={onKeyDown}
          >
            {t(name === "users" ? "usersTab" : "sourcesTab")}
          </button>
        ))}
      </div>
      <div id={`${id}-panel`} role="tabpanel" aria-labelledby={`${id}-tab-${tab}`}>
        <InstitutionScope institution={institution}>
          {tab === "users" ? <UsersPage /> : <SourcesPage />}
        </InstitutionScope>
      </div>
    </section>
  );
}
