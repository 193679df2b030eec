import { useBackOffice } from "./page-frame";

/** The end of every back-office form: the French error naming the problem, then submit and cancel. */
export function FormFooter({
  error,
  submitLabel,
  onCancel,
}: {
  error: string | null | undefined;
  submitLabel: string;
  onCancel?: () => void;
}) {
  const { t } = useBackOffice();
  return (
    <>
      {error && (
        <p className="bo-error" role="alert">
          {error}
        </p>
      )}
      <div className="bo-actions">
        <button type="submit" className="bo-primary">
          {submitLabel}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            {t("cancel")}
          </button>
        )}
      </div>
    </>
  );
}
