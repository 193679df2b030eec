import { type ConfigSchema, requestTuningFields } from "@billetix/connector-sdk";

/** A source's configuration, once checked against {@link sourceConfig}. */
export type TicketnetConfig = {
  baseUrl: string;
  login: string;
  password: string;
  timeoutSeconds?: number;
  retries?: number;
};

/** A performance's parameters, once checked against {@link performanceParams}. */
export type TicketnetParams = {
  performanceId: string;
};

/** What a source of this type needs, per institution. */
export const sourceConfig: ConfigSchema = [
  {
    key: "baseUrl",
    label: "Adresse du service Ticketnet",
    labelEn: "Ticketnet service URL",
    type: "url",
    required: true,
    help: "L'adresse racine du web service, avec ou sans /api/v2 (par exemple https://ws.ticketnet.exemple).",
  },
  {
    key: "login",
    label: "Identifiant de connexion",
    labelEn: "Login",
    type: "text",
    required: true,
    help: "Le compte d'accès au web service fourni par Ticketnet.",
  },
  {
    key: "password",
    label: "Mot de passe",
    labelEn: "Password",
    type: "secret",
    required: true,
  },
  ...requestTuningFields,
];

/** What a performance needs to import its tickets from such a source. */
export const performanceParams: ConfigSchema = [
  {
    key: "performanceId",
    label: "Identifiant de la représentation chez Ticketnet",
    labelEn: "Ticketnet performance id",
    type: "text",
    required: true,
    help: "Proposé par « Ajouter des représentations automatiquement », ou lu dans l'espace organisateur Ticketnet.",
  },
];
