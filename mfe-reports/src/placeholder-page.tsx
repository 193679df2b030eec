import type { RemotePageProps } from "@billetix/web-contract";

const TEXT = {
  fr: { title: "Rapports", body: "Les rapports arrive dans une prochaine version de Billetix." },
  en: { title: "Reports", body: "Reports arrives in a later version of Billetix." },
};

/** Holds the place of the reports until its own issue fills it. */
export function PlaceholderPage({ context }: RemotePageProps) {
  const text = TEXT[context.locale];
  return (
    <section data-remote="reports">
      <h1>{text.title}</h1>
      <p>{text.body}</p>
    </section>
  );
}
