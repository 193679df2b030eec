import { isConnectorError } from "@billetix/connector-sdk";
import { AparteClient, lowerFirst } from "./aparte-client";
import type { AparteConfig } from "./aparte-config";
import { checkLieux } from "./aparte-shape";
import { organismeNotFound } from "./list-catalog";

/**
 * Tries the source's settings on the lieux endpoint. Returns the problems in French (a refused
 * key, an unknown organisme, a service out of reach, an address that is not this API), or
 * nothing when the source works. Never throws.
 */
export async function checkAparteConfig(
  config: AparteConfig,
  { signal }: { signal: AbortSignal },
): Promise<string[]> {
  const address = `« ${String(config.baseUrl ?? "")} »`;
  try {
    const client = new AparteClient(config, signal);
    checkLieux(
      await client.get("lieux", { what: "Liste des lieux", notFound: organismeNotFound(config) }),
      "Liste des lieux",
    );
    return [];
  } catch (err) {
    if (!isConnectorError(err))
      return [
        `Le service Aparté à l'adresse ${address} n'a pas pu être interrogé : ${(err as Error)?.message ?? err}.`,
      ];
    // The client prefixes "Liste des lieux : "; here the partner's own words read better.
    const detail = lowerFirst(isConnectorError(err.cause) ? err.cause.message : err.message);
    switch (err.code) {
      case "unauthorized":
        return [
          `Aparté refuse la clé d'API (HTTP ${err.details.status}) : vérifiez « Clé d'API » et « Identifiant de l'organisme ».`,
        ];
      case "unavailable":
        return [`Le service Aparté à l'adresse ${address} n'est pas disponible : ${detail}`];
      case "bad-response":
        return [
          `L'adresse ${address} ne répond pas comme le service Aparté : ${detail} Vérifiez « Adresse du service Aparté ».`,
        ];
      default:
        return [err.message];
    }
  }
}
