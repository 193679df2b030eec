import type { RemotePageProps } from "@billetix/web-contract";

const TEXT = {
  fr: { title: "Scanner", body: "Le scanner arrive dans une prochaine version de Billetix." },
  en: { title: "Scanner", body: "The scanner arrives in a later version of Billetix." },
};

/** Holds the place of the scanner until its own issue fills it. */
export function PlaceholderPage({ context }: RemotePageProps) {
  const text = TEXT[context.locale];
  return (
    <section data-remote="scanner">
      <h1>{text.title}</h1>
      <p>{text.body}</p>
    </section>
  );
}
