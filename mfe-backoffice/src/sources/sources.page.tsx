import { useMutation, useQuery } from "@apollo/client/react";
import { useId, useState } from "react";
import { ConfirmButton } from "../common/confirm-button";
import { errorMessage } from "../common/errors";
import { useBackOffice } from "../common/page-frame";
import { SourceForm } from "./source-form";
import {
  CREATE_SOURCE,
  DELETE_SOURCE,
  SOURCE_TYPES,
  SOURCES,
  type Source,
  type SourceFieldsInput,
  type SourceType,
  UPDATE_SOURCE,
} from "./sources.queries";

type Editing =
  | { mode: "create"; type: SourceType }
  | { mode: "edit"; source: Source; type: SourceType }
  | null;

/** The sources of the current institution: list, add by type, edit, delete. */
export function SourcesPage() {
  const { t, institution, notify } = useBackOffice();
  const id = useId();
  const variables = { institutionId: institution.id };
  const sources = useQuery(SOURCES, { variables, fetchPolicy: "cache-and-network" });
  const types = useQuery(SOURCE_TYPES);
  const refetchQueries = [{ query: SOURCES, variables }];
  const [createSource] = useMutation(CREATE_SOURCE, { refetchQueries, awaitRefetchQueries: true });
  const [updateSource] = useMutation(UPDATE_SOURCE);
  const [deleteSource] = useMutation(DELETE_SOURCE, { refetchQueries, awaitRefetchQueries: true });
  const [chosenType, setChosenType] = useState("");
  const [editing, setEditing] = useState<Editing>(null);
  const typeList = types.data?.sourceTypes ?? [];
  const typeOf = (source: Source) => typeList.find((x) => x.id === source.connectorId);

  /** Notifies either way; throws the French message so the form shows it and keeps its values. */
  const run = async (action: () => Promise<unknown>, success: string) => {
    try {
      await action();
      notify(success, "success");
      setEditing(null);
      return true;
    } catch (error) {
      const message = errorMessage(error, t);
      notify(message, "error");
      throw new Error(message);
    }
  };

  const create = (type: SourceType) => (input: SourceFieldsInput) =>
    run(
      () =>
        createSource({ variables: { input: { ...input, institutionId: institution.id, type: type.id } } }),
      t("created"),
    );
  const update = (source: Source) => (input: SourceFieldsInput) =>
    run(() => updateSource({ variables: { id: source.id, input } }), t("saved"));
  const remove = async (source: Source) => {
    try {
      await deleteSource({ variables: { id: source.id } });
      notify(t("deleted"), "success");
    } catch (error) {
      notify(errorMessage(error, t), "error");
    }
  };

  const error = sources.error ?? types.error;
  return (
    <section aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>{t("sourcesTitle", { name: institution.name })}</h1>
      {error && (
        <p className="bo-error" role="alert">
          {errorMessage(error, t)}
        </p>
      )}
      <table aria-busy={sources.loading}>
        <thead>
          <tr>
            <th scope="col">{t("name")}</th>
            <th scope="col">{t("type")}</th>
            <th scope="col">{t("kind")}</th>
            <th scope="col">{t("problems")}</th>
            <th scope="col">{t("actions")}</th>
          </tr>
        </thead>
        <tbody>
          {sources.data?.sources.map((source) => {
            const type = typeOf(source);
            return (
              <tr key={source.id}>
                <td>{source.name}</td>
                <td>{source.typeLabel}</td>
                <td>
                  {source.kind === "file" ? t("kindFile") : source.kind === "online" ? t("kindOnline") : "—"}
                  {source.kind === "online" && source.syncSlowEveryMinutes !== null && (
                    <div className="bo-muted">
                      {source.syncSlowEveryMinutes} / {source.syncFastEveryMinutes} min
                    </div>
                  )}
                </td>
                <td>
                  {source.configProblems.length === 0 ? (
                    <span className="bo-ok">{t("configOk")}</span>
                  ) : (
                    <ul className="bo-error">
                      {source.configProblems.map((problem) => (
                        <li key={problem}>{problem}</li>
                      ))}
                    </ul>
                  )}
                </td>
                <td>
                  <div className="bo-actions">
                    {type && (
                      <button
                        type="button"
                        aria-label={`${t("edit")} — ${source.name}`}
                        onClick={() => setEditing({ mode: "edit", source, type })}
                      >
                        {t("edit")}
                      </button>
                    )}
                    <ConfirmButton
                      label={t("delete")}
                      question={t("confirmDelete", { name: source.name })}
                      onConfirm={() => remove(source)}
                    />
                  </div>
                </td>
              </tr>
            );
          })}
          {sources.data?.sources.length === 0 && (
            <tr>
              <td colSpan={5}>{t("noSources")}</td>
            </tr>
          )}
          {!sources.data && sources.loading && (
            <tr>
              <td colSpan={5}>{t("loading")}</td>
            </tr>
          )}
        </tbody>
      </table>

      {editing === null && (
        <form
          className="bo-toolbar bo-panel"
          onSubmit={(e) => {
            e.preventDefault();
            const type = typeList.find((x) => x.id === chosenType);
            if (type) setEditing({ mode: "create", type });
          }}
        >
          <div className="bo-field">
            <label htmlFor={`${id}-type`}>{t("chooseType")}</label>
            <select id={`${id}-type`} value={chosenType} onChange={(e) => setChosenType(e.target.value)}>
              <option value="">{t("chooseTypePlaceholder")}</option>
              {typeList.map((type) => (
                <option key={type.id} value={type.id}>
                  {type.label} ({type.kind === "file" ? t("kindFile") : t("kindOnline")})
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="bo-primary" disabled={!chosenType}>
            {t("addSource")}
          </button>
        </form>
      )}
      {editing?.mode === "create" && (
        <SourceForm
          key={`create-${editing.type.id}`}
          type={editing.type}
          title={t("newSource", { type: editing.type.label })}
          onSubmit={create(editing.type)}
          onCancel={() => setEditing(null)}
        />
      )}
      {editing?.mode === "edit" && (
        <SourceForm
          key={`edit-${editing.source.id}`}
          type={editing.type}
          source={editing.source}
          title={t("editSource", { name: editing.source.name })}
          onSubmit={update(editing.source)}
          onCancel={() => setEditing(null)}
        />
      )}
    </section>
  );
}
