import type { CatalogDate, CatalogEvent, CatalogVenue } from "@billetix/connector-sdk";
import { ConnectorError, parisToIso } from "@billetix/connector-sdk";
import { AparteClient } from "./aparte-client";
import type { AparteConfig } from "./aparte-config";
import { checkLieux, checkSeances, checkSpectacles } from "./aparte-shape";

/** Séance lists asked at once: enough to be quick, few enough to spare the partner. */
const PARALLEL = 4;

/** The organisme's venues → shows → séances, with dates in ISO 8601 with the Paris offset. */
export async function listAparteCatalog({
  config,
  signal,
}: {
  config: AparteConfig;
  signal: AbortSignal;
}): Promise<CatalogVenue[]> {
  const client = new AparteClient(config, signal);
  const unknownOrganisme = organismeNotFound(config);
  const lieux = checkLieux(
    await client.get("lieux", { what: "Liste des lieux", notFound: unknownOrganisme }),
    "Liste des lieux",
  );
  const spectacles = checkSpectacles(
    await client.get("spectacles", { what: "Liste des spectacles", notFound: unknownOrganisme }),
    "Liste des spectacles",
  );

  const events = new Map<string, CatalogEvent>();
  for (let i = 0; i < spectacles.length; i += PARALLEL) {
    await Promise.all(
      spectacles.slice(i, i + PARALLEL).map(async (spectacle) => {
        const what = `Séances du spectacle « ${spectacle.titre || spectacle.idSpectacle} »`;
        const body = await client.get(`spectacles/${encodeURIComponent(spectacle.idSpectacle)}/seances`, {
          what,
          notFound: `Aparté ne connaît pas le spectacle « ${spectacle.idSpectacle} » qu'il vient de lister (HTTP 404).`,
        });
        const dates = checkSeances(body, what).map((seance): CatalogDate => {
          const startsAt = parisToIso(seance.dateDebut);
          if (!startsAt)
            throw new ConnectorError(
              "bad-response",
              `${what} : la séance « ${seance.idSeance} » a une date de début illisible (« ${seance.dateDebut} »).`,
            );
          const endsAt = seance.dateFin ? parisToIso(seance.dateFin) : undefined;
          return {
            id: seance.idSeance,
            startsAt,
            ...(endsAt ? { endsAt } : {}),
            params: { idSeance: seance.idSeance },
          };
        });
        events.set(spectacle.idSpectacle, {
          id: spectacle.idSpectacle,
          name: spectacle.titre || `Spectacle ${spectacle.idSpectacle}`,
          dates,
        });
      }),
    );
  }

  // Shows of a venue the lieux list forgot still get a venue, named by its id.
  const venues = new Map<string, CatalogVenue>(
    lieux.map((l) => [l.idLieu, { id: l.idLieu, name: l.nom, events: [] }]),
  );
  for (const spectacle of spectacles) {
    const idLieu = spectacle.idLieu || "?";
    let venue = venues.get(idLieu);
    if (!venue) {
      venue = { id: idLieu, name: `Lieu ${idLieu}`, events: [] };
      venues.set(idLieu, venue);
    }
    const event = events.get(spectacle.idSpectacle);
    if (event) venue.events.push(event);
  }
  return [...venues.values()].filter((v) => v.events.length > 0);
}

export function organismeNotFound(config: AparteConfig): string {
  return `Aparté ne connaît pas l'organisme « ${config.organismeId} » (HTTP 404) : vérifiez « Identifiant de l'organisme » et « Adresse du service Aparté ».`;
}
