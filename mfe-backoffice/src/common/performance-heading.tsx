import { formatDateTime } from "./i18n";
import { ShellLink } from "./link";
import { boPath, useBackOffice } from "./page-frame";

/** What a performance page's heading names: its event and its date (or, undated, its label). */
export interface HeadedPerformance {
  dated: boolean;
  startsAt: string | null;
  label?: string | null;
  event?: { name: string } | null;
}

/** The back link and the heading of a page about one performance: « Title — Event — date ». */
export function PerformanceHeading({
  id,
  title,
  performance,
}: {
  id: string;
  title: string;
  performance: HeadedPerformance | undefined;
}) {
  const { t, locale } = useBackOffice();
  const when = performance
    ? performance.dated
      ? formatDateTime(performance.startsAt, locale)
      : (performance.label ?? t("undated"))
    : "";
  return (
    <>
      <p>
        <ShellLink to={boPath("")}>← {t("back")}</ShellLink>
      </p>
      <h1 id={id}>
        {title}
        {performance && ` — ${performance.event?.name ?? ""} — ${when}`}
      </h1>
    </>
  );
}
