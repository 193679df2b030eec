// Standalone development only: the shell never loads this (it loads `./manifest`).
import { startStandalone } from "./dev/standalone-app";

startStandalone(document.getElementById("root") as HTMLElement);
