import { reasonMessage } from "@billetix/access-rules";
import type { Locale } from "@billetix/web-contract";
import type { ScanOutcome } from "../../local/types";
import type { Translate } from "../i18n";
import { outcomeKind } from "./feedback";

/**
 * The verdict, over the whole screen in its colour, readable at arm's length. A tap (or Escape)
 * closes it early; the next scan replaces it.
 */
export function ScanResult({
  outcome,
  locale,
  t,
  onClose,
}: {
  outcome: ScanOutcome;
  locale: Locale;
  t: Translate;
  onClose(): void;
}) {
  const kind = outcomeKind(outcome);
  return (
    // The whole verdict is one big button: tapping anywhere closes it.
    <button
      type="button"
      className="sc-result"
      data-testid="scan-result"
      data-outcome={kind}
      data-reason={outcome.reason}
      data-decision-ms={outcome.decisionMs}
      aria-live="assertive"
      onClick={onClose}
    >
      <span className="sc-result-symbol" aria-hidden="true">
        {kind === "accepted" ? "✓" : kind === "anomaly" ? "!" : "✕"}
      </span>
      <span className="sc-result-message">{reasonMessage(outcome.reason, locale)}</span>
      {outcome.repeated && <span className="sc-result-repeated">{t("repeated")}</span>}
      <span className="sc-result-code">{outcome.barcode}</span>
      {(outcome.holderName || outcome.category) && (
        <span className="sc-result-holder">
          {[outcome.holderName, outcome.category].filter(Boolean).join(" — ")}
        </span>
      )}
      <span className="sc-result-hint">{t("tapToClose")}</span>
    </button>
  );
}
