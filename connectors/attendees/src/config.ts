import type { ConfigSchema } from "@billetix/connector-sdk";

/** A source's configuration, as checked against {@link sourceConfig}. */
export type AttendeesConfig = {
  baseUrl: string;
  username: string;
  password: string;
  apiKey: string;
  timeoutSeconds?: number;
  retries?: number;
};

/** A performance's parameters, as checked against {@link performanceParams}. */
export type AttendeesParams = {
  eventId: string;
  dateId?: string;
};

export const sourceConfig: ConfigSchema = [
  {
    key: "baseUrl",
    label: "Adresse du service",
    type: "url",
    required: true,
    help: "L'adresse de l'API de la billetterie, sans /v3 (par exemple https://api.billetterie.fr).",
  },
  { key: "username", label: "Nom d'utilisateur", type: "text", required: true },
  { key: "password", label: "Mot de passe", type: "secret", required: true },
  {
    key: "apiKey",
    label: "Clé d'API",
    type: "secret",
    required: true,
    help: "La clé d'API fournie par la billetterie avec votre compte.",
  },
  {
    key: "timeoutSeconds",
    label: "Délai d'attente (secondes)",
    type: "integer",
    default: 15,
    min: 1,
    max: 120,
    help: "Temps laissé au service pour répondre à chaque appel.",
  },
  {
    key: "retries",
    label: "Nouvelles tentatives",
    type: "integer",
    default: 3,
    min: 0,
    max: 10,
    help: "Nombre de nouvelles tentatives quand le service est injoignable ou en erreur.",
  },
];

export const performanceParams: ConfigSchema = [
  {
    key: "eventId",
    label: "Identifiant de l'événement",
    type: "text",
    required: true,
    help: "L'identifiant de l'événement dans la billetterie.",
  },
  {
    key: "dateId",
    label: "Identifiant de la date",
    type: "text",
    help: "Pour un événement à plusieurs dates : l'identifiant de la date à importer. Vide : toutes les dates.",
  },
];
