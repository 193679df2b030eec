import type { ApolloClient } from "@apollo/client";
import type { CurrentInstitution } from "@billetix/web-contract";
import { useEffect, useRef, useState } from "react";
import { useI18n } from "./i18n";
import { fetchInstitutions, type InstitutionNode, switchInstitution } from "./session";

interface Props {
  client: ApolloClient;
  current: CurrentInstitution | null;
  onPicked(institution: CurrentInstitution): void;
  onCancel?: () => void;
}

/** The visible institution tree, indented by depth; picking one remembers it on the server. */
export function InstitutionPicker({ client, current, onPicked, onCancel }: Props) {
  const { t } = useI18n();
  const [tree, setTree] = useState<InstitutionNode[]>();
  const [error, setError] = useState<string>();
  const currentRef = useRef<HTMLButtonElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    fetchInstitutions(client).then(setTree, (err: unknown) =>
      setError(err instanceof Error ? err.message : String(err)),
    );
  }, [client]);

  useEffect(() => {
    if (tree) (currentRef.current ?? headingRef.current)?.focus();
  }, [tree]);

  const pick = async (node: InstitutionNode) => {
    try {
      onPicked(await switchInstitution(client, node.id));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  return (
    <main className="bx-card" aria-labelledby="picker-title">
      <h1 id="picker-title" ref={headingRef} tabIndex={-1}>
        {t.pickInstitution}
      </h1>
      {error && (
        <p className="bx-error" role="alert">
          {error}
        </p>
      )}
      {!tree && !error && <p>{t.loading}</p>}
      {tree && tree.length === 0 && <p>{t.noInstitution}</p>}
      {tree && (
        <ul className="bx-tree" aria-label={t.institution}>
          {tree.map((node) => (
            <li key={node.id} style={{ paddingLeft: `${node.depth * 1.25}rem` }}>
              <button
                type="button"
                ref={node.id === current?.id ? currentRef : undefined}
                aria-current={node.id === current?.id ? "true" : undefined}
                data-depth={node.depth}
                onClick={() => void pick(node)}
              >
                {node.name}
              </button>
            </li>
          ))}
        </ul>
      )}
      {onCancel && (
        <button type="button" onClick={onCancel}>
          {t.close}
        </button>
      )}
    </main>
  );
}
