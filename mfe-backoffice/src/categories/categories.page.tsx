import { gql, type TypedDocumentNode } from "@apollo/client";
import { useMutation, useQuery } from "@apollo/client/react";
import { type FormEvent, useEffect, useId, useState } from "react";
import { errorMessage } from "../common/errors";
import { useBackOffice } from "../common/page-frame";
import { PerformanceHeading } from "../common/performance-heading";

interface PerformanceCategories {
  id: string;
  dated: boolean;
  startsAt: string | null;
  label: string | null;
  excludedCategories: string[];
  categories: string[];
  event: { id: string; name: string } | null;
}

const CATEGORIES: TypedDocumentNode<{ performance: PerformanceCategories }, { id: string }> = gql`
  query BackOfficePerformanceCategories($id: ID!) {
    performance(id: $id) {
      id
      dated
      startsAt
      label
      excludedCategories
      categories
      event {
        id
        name
      }
    }
  }
`;

const SET_EXCLUDED: TypedDocumentNode<
  { setExcludedCategories: { id: string; excludedCategories: string[] } },
  { id: string; categories: string[] }
> = gql`
  mutation BackOfficeSetExcludedCategories($id: ID!, $categories: [String!]!) {
    setExcludedCategories(id: $id, categories: $categories) {
      id
      excludedCategories
    }
  }
`;

/** The category filters of a performance: the categories ticked are refused at the door. */
export function CategoriesPage({ params }: { params: Record<string, string> }) {
  const { t, notify } = useBackOffice();
  const id = useId();
  const { data, loading, error } = useQuery(CATEGORIES, {
    variables: { id: params.id ?? "" },
    fetchPolicy: "cache-and-network",
  });
  const [save, { loading: saving }] = useMutation(SET_EXCLUDED);
  const performance = data?.performance;
  const [excluded, setExcluded] = useState<string[] | null>(null);
  useEffect(() => {
    if (performance && excluded === null) setExcluded(performance.excludedCategories);
  }, [performance, excluded]);

  // Categories no ticket carries any more stay listed while they are still excluded.
  const all = performance
    ? [...new Set([...performance.categories, ...performance.excludedCategories])].sort((a, b) =>
        a.localeCompare(b, "fr"),
      )
    : [];
  const chosen = excluded ?? [];
  const toggle = (category: string, on: boolean) =>
    setExcluded(on ? [...chosen, category] : chosen.filter((c) => c !== category));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!performance) return;
    try {
      await save({ variables: { id: performance.id, categories: chosen } });
      notify(t("categoriesSaved"), "success");
    } catch (e) {
      notify(errorMessage(e, t), "error");
    }
  };

  return (
    <section aria-labelledby={`${id}-title`}>
      <PerformanceHeading id={`${id}-title`} title={t("categories")} performance={performance} />
      {error && (
        <p className="bo-error" role="alert">
          {errorMessage(error, t)}
        </p>
      )}
      {!performance && loading && <p>{t("loading")}</p>}
      {performance && (
        <form onSubmit={submit} className="bo-panel">
          <fieldset disabled={saving}>
            <legend>{t("categoriesHelp")}</legend>
            {all.length === 0 && <p>{t("noCategories")}</p>}
            {all.map((category, index) => (
              <div key={category} className="bo-field bo-field-inline">
                <input
                  id={`${id}-c${index}`}
                  type="checkbox"
                  checked={chosen.includes(category)}
                  onChange={(e) => toggle(category, e.target.checked)}
                />
                <label htmlFor={`${id}-c${index}`}>{category}</label>
              </div>
            ))}
            <div className="bo-actions">
              <button type="submit" className="bo-primary">
                {t("save")}
              </button>
            </div>
          </fieldset>
        </form>
      )}
    </section>
  );
}
