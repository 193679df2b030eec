import { useState } from "react";

/** A destructive action asked twice: the question and its two answers appear in place. */
export function ConfirmButton({
  label,
  confirmLabel,
  question,
  cancelLabel,
  disabled,
  onConfirm,
}: {
  label: string;
  confirmLabel: string;
  question: string;
  cancelLabel: string;
  disabled?: boolean;
  onConfirm(): void | Promise<void>;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking)
    return (
      <button type="button" className="sc-danger sc-big" disabled={disabled} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  return (
    <span role="alertdialog" aria-label={question} className="sc-confirm">
      <span>{question}</span>
      <button
        type="button"
        className="sc-danger sc-big"
        // biome-ignore lint/a11y/noAutofocus: the question just appeared where the focus was.
        autoFocus
        onClick={async () => {
          setAsking(false);
          await onConfirm();
        }}
      >
        {confirmLabel}
      </button>
      <button type="button" className="sc-big" onClick={() => setAsking(false)}>
        {cancelLabel}
      </button>
    </span>
  );
}
