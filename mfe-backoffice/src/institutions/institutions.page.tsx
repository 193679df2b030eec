import { gql, type TypedDocumentNode } from "@apollo/client";
import { useMutation, useQuery } from "@apollo/client/react";
import { type FormEvent, useId, useState } from "react";
import { errorMessage } from "../common/errors";
import { ShellLink } from "../common/link";
import { boPath, useBackOffice } from "../common/page-frame";

interface InstitutionRow {
  id: string;
  name: string;
  depth: number;
  parentId: string | null;
  myRights: { master: boolean; admin: boolean };
}

const INSTITUTIONS: TypedDocumentNode<{ institutions: InstitutionRow[] }, Record<string, never>> = gql`
  query BackOfficeInstitutions {
    institutions {
      id
      name
      depth
      parentId
      myRights {
        master
        admin
      }
    }
  }
`;

interface NewMaster {
  username: string;
  password: string;
  displayName?: string;
}

const CREATE_INSTITUTION: TypedDocumentNode<
  { createInstitution: InstitutionRow },
  { input: { parentId: string; name: string; master?: NewMaster } }
> = gql`
  mutation BackOfficeCreateInstitution($input: CreateInstitutionInput!) {
    createInstitution(input: $input) {
      id
      name
    }
  }
`;

const RENAME_INSTITUTION: TypedDocumentNode<
  { renameInstitution: { id: string; name: string } },
  { id: string; name: string }
> = gql`
  mutation BackOfficeRenameInstitution($id: ID!, $name: String!) {
    renameInstitution(id: $id, name: $name) {
      id
      name
    }
  }
`;

/** Orders the list as a tree: each institution under its owner. */
function asTree(list: InstitutionRow[]): InstitutionRow[] {
  const children = new Map<string | null, InstitutionRow[]>();
  const ids = new Set(list.map((i) => i.id));
  for (const i of list) {
    const parent = i.parentId && ids.has(i.parentId) ? i.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), i]);
  }
  const out: InstitutionRow[] = [];
  const walk = (parent: string | null) => {
    for (const i of (children.get(parent) ?? []).sort((a, b) => a.name.localeCompare(b.name, "fr"))) {
      out.push(i);
      walk(i.id);
    }
  };
  walk(null);
  return out;
}

/** The institutions the login sees: create one under an owner, rename. */
export function InstitutionsPage() {
  const { t, notify } = useBackOffice();
  const id = useId();
  const { data, error } = useQuery(INSTITUTIONS, { fetchPolicy: "cache-and-network" });
  const [create, { loading: creating }] = useMutation(CREATE_INSTITUTION, {
    refetchQueries: [{ query: INSTITUTIONS }],
    awaitRefetchQueries: true,
  });
  const [rename] = useMutation(RENAME_INSTITUTION);
  const tree = asTree(data?.institutions ?? []);
  const top = Math.min(...tree.map((i) => i.depth));
  const [parentId, setParentId] = useState("");
  const [name, setName] = useState("");
  const [master, setMaster] = useState<NewMaster>({ username: "", password: "", displayName: "" });
  const [formError, setFormError] = useState("");
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  const parent = tree.find((i) => i.id === (parentId || tree[0]?.id));
  // A customer's main institution (child of root) comes with its first login, its master.
  const needsMaster = parent?.depth === 0;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!parent) return;
    setFormError("");
    try {
      await create({
        variables: {
          input: {
            parentId: parent.id,
            name,
            ...(needsMaster
              ? {
                  master: {
                    username: master.username,
                    password: master.password,
                    ...(master.displayName ? { displayName: master.displayName } : {}),
                  },
                }
              : {}),
          },
        },
      });
      notify(t("institutionCreated", { name }), "success");
      setName("");
      setMaster({ username: "", password: "", displayName: "" });
    } catch (e) {
      const message = errorMessage(e, t);
      setFormError(message);
      notify(message, "error");
    }
  };

  const submitRename = async (event: FormEvent) => {
    event.preventDefault();
    if (!renaming) return;
    try {
      await rename({ variables: renaming });
      notify(t("saved"), "success");
      setRenaming(null);
    } catch (e) {
      notify(errorMessage(e, t), "error");
    }
  };

  return (
    <section aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>{t("institutions")}</h1>
      {error && (
        <p className="bo-error" role="alert">
          {errorMessage(error, t)}
        </p>
      )}
      <ul className="bo-tree">
        {tree.map((i) => (
          <li key={i.id} style={{ marginLeft: `${(i.depth - top) * 1.4}rem` }}>
            {renaming?.id === i.id ? (
              <form onSubmit={submitRename} className="bo-actions">
                <label htmlFor={`${id}-rename`} className="bo-visually-hidden">
                  {t("newName")}
                </label>
                <input
                  id={`${id}-rename`}
                  value={renaming.name}
                  onChange={(e) => setRenaming({ ...renaming, name: e.target.value })}
                  // biome-ignore lint/a11y/noAutofocus: the field replaces the button just pressed.
                  autoFocus
                />
                <button type="submit" className="bo-primary">
                  {t("save")}
                </button>
                <button type="button" onClick={() => setRenaming(null)}>
                  {t("cancel")}
                </button>
              </form>
            ) : (
              <span className="bo-actions">
                <span>{i.name}</span>
                {(i.myRights.admin || i.myRights.master) && (
                  <ShellLink to={boPath(`institutions/${i.id}`)} label={`${t("settings")} — ${i.name}`}>
                    {t("settings")}
                  </ShellLink>
                )}
                {(i.myRights.admin || i.myRights.master) && (
                  <button
                    type="button"
                    aria-label={`${t("rename")} — ${i.name}`}
                    onClick={() => setRenaming({ id: i.id, name: i.name })}
                  >
                    {t("rename")}
                  </button>
                )}
              </span>
            )}
          </li>
        ))}
      </ul>

      <form className="bo-panel" onSubmit={submit} noValidate aria-labelledby={`${id}-create`}>
        <h2 id={`${id}-create`}>{t("createInstitution")}</h2>
        <fieldset disabled={creating}>
          <div className="bo-field">
            <label htmlFor={`${id}-parent`}>{t("owner")}</label>
            <select
              id={`${id}-parent`}
              value={parent?.id ?? ""}
              onChange={(e) => setParentId(e.target.value)}
            >
              {tree.map((i) => (
                <option key={i.id} value={i.id}>
                  {"\u00a0".repeat((i.depth - top) * 3)}
                  {i.name}
                </option>
              ))}
            </select>
          </div>
          <div className="bo-field">
            <label htmlFor={`${id}-name`}>{t("name")}</label>
            <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} aria-required />
          </div>
          {needsMaster && (
            <>
              <p className="bo-help">{t("masterHelp")}</p>
              <div className="bo-field">
                <label htmlFor={`${id}-username`}>{t("masterUsername")}</label>
                <input
                  id={`${id}-username`}
                  autoComplete="off"
                  value={master.username}
                  onChange={(e) => setMaster({ ...master, username: e.target.value })}
                />
              </div>
              <div className="bo-field">
                <label htmlFor={`${id}-password`}>{t("masterPassword")}</label>
                <input
                  id={`${id}-password`}
                  type="password"
                  autoComplete="new-password"
                  value={master.password}
                  onChange={(e) => setMaster({ ...master, password: e.target.value })}
                />
              </div>
              <div className="bo-field">
                <label htmlFor={`${id}-display`}>{t("masterDisplayName")}</label>
                <input
                  id={`${id}-display`}
                  value={master.displayName}
                  onChange={(e) => setMaster({ ...master, displayName: e.target.value })}
                />
              </div>
            </>
          )}
          {formError && (
            <p className="bo-error" role="alert">
              {formError}
            </p>
          )}
          <button type="submit" className="bo-primary">
            {t("create")}
          </button>
        </fieldset>
      </form>
    </section>
  );
}
