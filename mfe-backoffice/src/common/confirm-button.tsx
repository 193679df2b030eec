import { useState } from "react";
import { useBackOffice } from "./page-frame";

/** A destructive action asked twice: the question and its two answers appear in place. */
export function ConfirmButton({
  label,
  question,
  onConfirm,
}: {
  label: string;
  question: string;
  onConfirm(): void | Promise<void>;
}) {
  const { t } = useBackOffice();
  const [asking, setAsking] = useState(false);
  if (!asking)
    return (
      <button type="button" className="bo-danger" onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  return (
    <span role="alertdialog" aria-label={question} className="bo-actions">
      <span>{question}</span>
      <button
        type="button"
        className="bo-danger"
        // biome-ignore lint/a11y/noAutofocus: the question just appeared where the focus was.
        autoFocus
        onClick={async () => {
          setAsking(false);
          await onConfirm();
        }}
      >
        {label}
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        {t("cancel")}
      </button>
    </span>
  );
}
