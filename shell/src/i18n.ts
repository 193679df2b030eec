import type { Locale } from "@billetix/web-contract";
import { createContext, useContext } from "react";

const fr = {
  appName: "Billetix",
  loginTitle: "Connexion",
  username: "Login",
  password: "Mot de passe",
  signIn: "Se connecter",
  signingIn: "Connexion…",
  badCredentials: "Login ou mot de passe incorrect.",
  networkError: "Le serveur ne répond pas. Vérifiez votre connexion et réessayez.",
  sessionEnded: "Votre session a été fermée (connexion ailleurs)",
  logout: "Se déconnecter",
  loading: "Chargement…",
  pickInstitution: "Choisir une institution",
  changeInstitution: "Changer d'institution",
  noInstitution: "Aucune institution n'est accessible à ce login.",
  institution: "Institution",
  navigation: "Navigation",
  language: "Langue",
  switchTo: "English",
  remoteFailed: (name: string) => `Le module « ${name} » n'a pas pu être chargé.`,
  retry: "Réessayer",
  pageCrashed: "Cette page a rencontré une erreur.",
  notFound: "Page introuvable.",
  offline: "Hors ligne : les données nécessitent le réseau",
  scannerQr: "Scanner sur mobile",
  scannerQrHelp: "Scannez ce code avec le téléphone pour ouvrir le scanner :",
  close: "Fermer",
  noPages: "Aucun module n'est disponible pour le moment.",
  skipToContent: "Aller au contenu",
};

export type Messages = typeof fr;

const en: Messages = {
  appName: "Billetix",
  loginTitle: "Sign in",
  username: "Login",
  password: "Password",
  signIn: "Sign in",
  signingIn: "Signing in…",
  badCredentials: "Wrong login or password.",
  networkError: "The server does not answer. Check your connection and try again.",
  sessionEnded: "Your session was closed (signed in elsewhere)",
  logout: "Sign out",
  loading: "Loading…",
  pickInstitution: "Choose an institution",
  changeInstitution: "Change institution",
  noInstitution: "This login has no institution to work in.",
  institution: "Institution",
  navigation: "Navigation",
  language: "Language",
  switchTo: "Français",
  remoteFailed: (name: string) => `The “${name}” module could not be loaded.`,
  retry: "Retry",
  pageCrashed: "This page ran into an error.",
  notFound: "Page not found.",
  offline: "Offline: data needs the network",
  scannerQr: "Scanner on mobile",
  scannerQrHelp: "Scan this code with the phone to open the scanner:",
  close: "Close",
  noPages: "No module is available yet.",
  skipToContent: "Skip to content",
};

export const MESSAGES: Record<Locale, Messages> = { fr, en };

export interface I18n {
  locale: Locale;
  t: Messages;
  setLocale(locale: Locale): void;
}

export const I18nContext = createContext<I18n>({ locale: "fr", t: fr, setLocale: () => {} });

export const useI18n = (): I18n => useContext(I18nContext);
