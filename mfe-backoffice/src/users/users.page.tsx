import { useMutation, useQuery } from "@apollo/client/react";
import { type FormEvent, useId, useState } from "react";
import { ConfirmButton } from "../common/confirm-button";
import { errorMessage } from "../common/errors";
import { useBackOffice } from "../common/page-frame";
import {
  ADD_MEMBER,
  CREATE_LOGIN,
  type Flags,
  MEMBERS,
  type Member,
  REMOVE_MEMBER,
  SET_DISABLED,
  SET_PASSWORD,
  UPDATE_MEMBERSHIP,
} from "./users.queries";

const FLAG_KEYS = ["admin", "scanner", "backoffice"] as const;
const NO_FLAGS: Flags = { admin: false, backoffice: true, scanner: false };

function FlagBoxes({
  idPrefix,
  flags,
  onChange,
}: {
  idPrefix: string;
  flags: Flags;
  onChange(f: Flags): void;
}) {
  const { t } = useBackOffice();
  return (
    <span className="bo-actions">
      {FLAG_KEYS.map((key) => (
        <span key={key} className="bo-field-inline">
          <input
            id={`${idPrefix}-${key}`}
            type="checkbox"
            checked={flags[key]}
            onChange={(e) => onChange({ ...flags, [key]: e.target.checked })}
          />
          <label htmlFor={`${idPrefix}-${key}`}>{t(`flag_${key}`)}</label>
        </span>
      ))}
    </span>
  );
}

/** The users of the current institution: rights, passwords, disabling, adding and creating logins. */
export function UsersPage() {
  const { t, institution, notify } = useBackOffice();
  const id = useId();
  const variables = { institutionId: institution.id };
  const refetchQueries = [{ query: MEMBERS, variables }];
  const { data, error } = useQuery(MEMBERS, { variables, fetchPolicy: "cache-and-network" });
  const [addMember] = useMutation(ADD_MEMBER, { refetchQueries, awaitRefetchQueries: true });
  const [createLogin] = useMutation(CREATE_LOGIN, { refetchQueries, awaitRefetchQueries: true });
  const [addLoginId, setAddLoginId] = useState("");
  const [addFlags, setAddFlags] = useState<Flags>(NO_FLAGS);
  const [newLogin, setNewLogin] = useState({ username: "", password: "", displayName: "" });
  const [newFlags, setNewFlags] = useState<Flags>(NO_FLAGS);
  const [createError, setCreateError] = useState("");

  const act = async (action: () => Promise<unknown>, success: string): Promise<boolean> => {
    try {
      await action();
      notify(success, "success");
      return true;
    } catch (e) {
      notify(errorMessage(e, t), "error");
      return false;
    }
  };

  const submitAdd = async (event: FormEvent) => {
    event.preventDefault();
    if (!addLoginId) return;
    if (
      await act(
        () => addMember({ variables: { ...variables, loginId: addLoginId, flags: addFlags } }),
        t("memberAdded"),
      )
    )
      setAddLoginId("");
  };
  const submitCreate = async (event: FormEvent) => {
    event.preventDefault();
    setCreateError("");
    try {
      await createLogin({
        variables: {
          input: {
            username: newLogin.username,
            password: newLogin.password,
            ...(newLogin.displayName ? { displayName: newLogin.displayName } : {}),
            institutionId: institution.id,
            flags: newFlags,
          },
        },
      });
      notify(t("loginCreated", { name: newLogin.username }), "success");
      setNewLogin({ username: "", password: "", displayName: "" });
    } catch (e) {
      const message = errorMessage(e, t);
      setCreateError(message);
      notify(message, "error");
    }
  };

  return (
    <section aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>{t("usersTitle", { name: institution.name })}</h1>
      {error && (
        <p className="bo-error" role="alert">
          {errorMessage(error, t)}
        </p>
      )}
      <table>
        <thead>
          <tr>
            <th scope="col">{t("user")}</th>
            <th scope="col">{t("rights")}</th>
            <th scope="col">{t("status")}</th>
            <th scope="col">{t("actions")}</th>
          </tr>
        </thead>
        <tbody>
          {data?.institutionMembers.map((member) => (
            <MemberLine key={member.id} member={member} act={act} refetchQueries={refetchQueries} />
          ))}
        </tbody>
      </table>

      {(data?.addableLogins.length ?? 0) > 0 && (
        <form className="bo-panel" onSubmit={submitAdd} aria-labelledby={`${id}-add`}>
          <h2 id={`${id}-add`}>{t("addExisting")}</h2>
          <div className="bo-field">
            <label htmlFor={`${id}-login`}>{t("user")}</label>
            <select id={`${id}-login`} value={addLoginId} onChange={(e) => setAddLoginId(e.target.value)}>
              <option value="">—</option>
              {data?.addableLogins.map((login) => (
                <option key={login.id} value={login.id}>
                  {login.username}
                  {login.displayName ? ` (${login.displayName})` : ""}
                </option>
              ))}
            </select>
          </div>
          <FlagBoxes idPrefix={`${id}-addflags`} flags={addFlags} onChange={setAddFlags} />
          <p>
            <button type="submit" className="bo-primary" disabled={!addLoginId}>
              {t("add")}
            </button>
          </p>
        </form>
      )}

      <form className="bo-panel" onSubmit={submitCreate} noValidate aria-labelledby={`${id}-create`}>
        <h2 id={`${id}-create`}>{t("createLogin")}</h2>
        <div className="bo-field">
          <label htmlFor={`${id}-username`}>{t("username")}</label>
          <input
            id={`${id}-username`}
            autoComplete="off"
            value={newLogin.username}
            onChange={(e) => setNewLogin({ ...newLogin, username: e.target.value })}
          />
        </div>
        <div className="bo-field">
          <label htmlFor={`${id}-password`}>{t("password")}</label>
          <input
            id={`${id}-password`}
            type="password"
            autoComplete="new-password"
            value={newLogin.password}
            onChange={(e) => setNewLogin({ ...newLogin, password: e.target.value })}
          />
        </div>
        <div className="bo-field">
          <label htmlFor={`${id}-display`}>{t("displayName")}</label>
          <input
            id={`${id}-display`}
            value={newLogin.displayName}
            onChange={(e) => setNewLogin({ ...newLogin, displayName: e.target.value })}
          />
        </div>
        <FlagBoxes idPrefix={`${id}-newflags`} flags={newFlags} onChange={setNewFlags} />
        {createError && (
          <p className="bo-error" role="alert">
            {createError}
          </p>
        )}
        <p>
          <button type="submit" className="bo-primary">
            {t("create")}
          </button>
        </p>
      </form>
    </section>
  );
}

function MemberLine({
  member,
  act,
  refetchQueries,
}: {
  member: Member;
  act(action: () => Promise<unknown>, success: string): Promise<boolean>;
  refetchQueries: { query: typeof MEMBERS; variables: { institutionId: string } }[];
}) {
  const { t, institution } = useBackOffice();
  const id = useId();
  const [update] = useMutation(UPDATE_MEMBERSHIP);
  const [remove] = useMutation(REMOVE_MEMBER, { refetchQueries, awaitRefetchQueries: true });
  const [setPassword] = useMutation(SET_PASSWORD);
  const [setDisabled] = useMutation(SET_DISABLED);
  const [password, setPasswordText] = useState<string | null>(null);
  const login = member.login;
  const name = login.displayName ? `${login.username} (${login.displayName})` : login.username;
  const vars = { institutionId: institution.id, loginId: login.id };

  const submitPassword = async (event: FormEvent) => {
    event.preventDefault();
    if (password === null) return;
    if (await act(() => setPassword({ variables: { loginId: login.id, password } }), t("passwordSet")))
      setPasswordText(null);
  };

  return (
    <tr>
      <td>
        {name}
        {member.isMaster && <span className="bo-flag">Master</span>}
      </td>
      <td>
        <FlagBoxes
          idPrefix={`${id}-flags`}
          flags={member}
          onChange={(flags) =>
            act(
              () =>
                update({
                  variables: {
                    ...vars,
                    flags: { admin: flags.admin, backoffice: flags.backoffice, scanner: flags.scanner },
                  },
                }),
              t("saved"),
            )
          }
        />
      </td>
      <td>{login.disabled ? <span className="bo-error">{t("disabled")}</span> : t("active")}</td>
      <td>
        {password !== null ? (
          <form onSubmit={submitPassword} className="bo-actions" noValidate>
            <label htmlFor={`${id}-pw`}>{t("newPassword")}</label>
            <input
              id={`${id}-pw`}
              type="password"
              autoComplete="new-password"
              value={password}
              onChange={(e) => setPasswordText(e.target.value)}
              // biome-ignore lint/a11y/noAutofocus: the field replaces the button just pressed.
              autoFocus
            />
            <button type="submit" className="bo-primary">
              {t("save")}
            </button>
            <button type="button" onClick={() => setPasswordText(null)}>
              {t("cancel")}
            </button>
          </form>
        ) : (
          <div className="bo-actions">
            <button
              type="button"
              aria-label={`${t("newPassword")} — ${name}`}
              onClick={() => setPasswordText("")}
            >
              {t("newPassword")}
            </button>
            <button
              type="button"
              aria-label={`${login.disabled ? t("enable") : t("disable")} — ${name}`}
              onClick={() =>
                act(
                  () => setDisabled({ variables: { loginId: login.id, disabled: !login.disabled } }),
                  login.disabled ? t("enabledDone") : t("disabledDone"),
                )
              }
            >
              {login.disabled ? t("enable") : t("disable")}
            </button>
            <ConfirmButton
              label={t("removeMember")}
              question={t("confirmRemoveMember", { name })}
              onConfirm={async () => {
                await act(() => remove({ variables: vars }), t("memberRemoved"));
              }}
            />
          </div>
        )}
      </td>
    </tr>
  );
}
