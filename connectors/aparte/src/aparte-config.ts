import { type ConfigSchema, requestTuningFields } from "@billetix/connector-sdk";

/** A source's configuration, once checked against {@link sourceConfig}. */
export type AparteConfig = {
  baseUrl: string;
  organismeId: string;
  apiKey: string;
  timeoutSeconds?: number;
  retries?: number;
};

/** A performance's parameters, once checked against {@link performanceParams}. */
export type AparteParams = {
  idSeance: string;
};

/** What a source of this type needs, per institution. */
export const sourceConfig: ConfigSchema = [
  {
    key: "baseUrl",
    label: "Adresse du service Aparté",
    labelEn: "Aparté service URL",
    type: "url",
    required: true,
    help: "L'adresse racine du web service, sans /v1 (par exemple https://billetterie.exemple.fr/api).",
  },
  {
    key: "organismeId",
    label: "Identifiant de l'organisme",
    labelEn: "Organisation id",
    type: "text",
    required: true,
    help: "Fourni par Aparté avec la clé d'API.",
  },
  {
    key: "apiKey",
    label: "Clé d'API",
    labelEn: "API key",
    type: "secret",
    required: true,
    help: "Envoyée dans l'en-tête X-Api-Key de chaque appel.",
  },
  ...requestTuningFields,
];

/** What a performance needs to import its tickets from such a source. */
export const performanceParams: ConfigSchema = [
  {
    key: "idSeance",
    label: "Identifiant de la séance chez Aparté",
    labelEn: "Aparté session id",
    type: "text",
    required: true,
    help: "Proposé par « Ajouter des représentations automatiquement », ou lu dans Aparté.",
  },
];
