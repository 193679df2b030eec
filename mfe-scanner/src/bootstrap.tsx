// The standalone scanner (/mfe/scanner/, installable). The shell never loads this: it loads `./manifest`.
import { startStandalone } from "./ui/standalone/standalone-app";

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root");
startStandalone(root);
