import { isConnectorError } from "@billetix/connector-sdk";
import type { AttendeesConfig } from "./config";
import { AttendeesClient } from "./partner/attendees-client";

/** Problems with the credentials or the address, in French; never throws. */
export async function checkConfig(
  config: AttendeesConfig,
  { signal }: { signal: AbortSignal },
): Promise<string[]> {
  let where = String(config.baseUrl);
  try {
    const client = new AttendeesClient(config, signal);
    where = client.where;
    await client.accessToken();
    return [];
  } catch (err) {
    if (!isConnectorError(err)) {
      if (signal.aborted) return ["Vérification interrompue avant la réponse du service."];
      return [
        `« Adresse du service » : vérification impossible (${(err as Error)?.message ?? String(err)}).`,
      ];
    }
    switch (err.code) {
      case "unauthorized":
        return [
          `Le service ${where} refuse le nom d'utilisateur, le mot de passe ou la clé d'API (HTTP ${err.details.status ?? 401}) : vérifiez-les.`,
        ];
      case "unavailable":
        return [`« Adresse du service » : ${err.message}`];
      default: {
        const status = err.details.status ? ` (HTTP ${err.details.status})` : "";
        return [
          `« Adresse du service » : ${where} ne répond pas comme un service de participants${status}. Vérifiez l'adresse.`,
        ];
      }
    }
  }
}
