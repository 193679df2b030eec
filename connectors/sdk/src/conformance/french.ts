/**
 * A rough test that a user-facing message is French: the gateway shows connector messages to
 * French admins as they are, so an English one ("fetch failed") is a bug the kit must catch.
 */

const FRENCH = new Set(
  (
    "le la les un une des du de est sont pas ne ni à au aux et ou où pour sur dans avec par en ce cet cette ces " +
    "il elle qui que se sa son ses leur leurs aucun aucune plus été être avez vérifiez ligne lignes fichier " +
    "colonne erreur réponse identifiants identifiant invalide illisible vide obligatoire introuvable attendu " +
    "attendue numéro billet délai injoignable refuse refusé refusée indisponible"
  ).split(" "),
);

const ENGLISH = new Set(
  (
    "the is are was were be been not and or to of for in with by from at this that it its failed could cannot " +
    "invalid error unexpected request response status timeout timed unauthorized forbidden found bad missing " +
    "expected got file line empty column unknown aborted fetch undefined null wrong should must unavailable try again later please " +
    "check server connection refused denied access"
  ).split(" "),
);

const ELISION = /^(?:l|d|n|qu|j|s|c|m|t)'/;
const ACCENT = /[àâäçéèêëîïôöùûüÿœæ«»]/;

/**
 * True when `text` reads as French rather than English (or as nothing at all, like "HTTP 500").
 * Counts French and English function words; accents and French quotes count for French.
 */
export function looksFrench(text: unknown): boolean {
  if (typeof text !== "string" || !text.trim()) return false;
  const words = text
    .toLowerCase()
    .replace(/’/g, "'")
    .split(/[^a-zàâäçéèêëîïôöùûüÿœæ']+/);
  let french = ACCENT.test(text.toLowerCase()) ? 1 : 0;
  let english = 0;
  for (let word of words) {
    if (ELISION.test(word)) {
      french++;
      word = word.replace(ELISION, "");
    } else if (/n't$/.test(word)) english++;
    if (FRENCH.has(word)) french++;
    if (ENGLISH.has(word)) english++;
  }
  return french > english;
}
