import { type ConnectorError, isConnectorError } from "@billetix/connector-sdk";
import { lowerFirst, TicketnetClient } from "./ticketnet-client";
import type { TicketnetConfig } from "./ticketnet-config";

/**
 * Tries to authenticate with the source's settings. Returns the problems in French (refused
 * credentials, a service out of reach, an address that does not answer as this API), or nothing
 * when the source works. Never throws.
 */
export async function checkTicketnetConfig(
  config: TicketnetConfig,
  { signal }: { signal: AbortSignal },
): Promise<string[]> {
  const address = `« ${String(config.baseUrl ?? "")} »`;
  try {
    await new TicketnetClient(config, signal).authenticate();
    return [];
  } catch (err) {
    if (signal.aborted) return ["La vérification du service Ticketnet a été interrompue avant sa réponse."];
    if (!isConnectorError(err))
      return [
        `Le service Ticketnet à l'adresse ${address} n'a pas pu être interrogé : ${(err as Error)?.message ?? String(err)}.`,
      ];
    switch (err.code) {
      case "unavailable":
        return [
          `Le service Ticketnet à l'adresse ${address} n'est pas disponible : ${lowerFirst(cause(err).message)}`,
        ];
      case "bad-response":
        return [
          `L'adresse ${address} ne répond pas comme le service Ticketnet (${notThisApi(err)}) : vérifiez « Adresse du service Ticketnet ».`,
        ];
      default:
        return [err.message];
    }
  }
}

/** The SDK's own error under the client's rewording, which names the service by its host. */
function cause(err: ConnectorError): ConnectorError {
  return isConnectorError(err.cause) ? err.cause : err;
}

function notThisApi(err: ConnectorError): string {
  const status = err.details.status;
  if (status !== undefined) return `HTTP ${status} à la demande de connexion`;
  if (isConnectorError(err.cause)) return "sa réponse n'est pas du JSON";
  // A shape error: "… (« token » manque ou est vide)."
  const detail = /\((.*)\)\.$/.exec(err.message)?.[1];
  return detail ? `réponse de connexion : ${detail}` : lowerFirst(err.message.replace(/\.$/, ""));
}
