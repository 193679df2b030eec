import { ApolloClient, HttpLink, InMemoryCache } from "@apollo/client";
import type { RemoteContext } from "@billetix/web-contract";
import { createRoot } from "react-dom/client";
import manifest from "./manifest";

// Standalone development page: the remote's pages with a context of its own (the shell gives
// the real one). Log in through the shell or the API first: the session cookie is shared.
const context: RemoteContext = {
  client: new ApolloClient({
    link: new HttpLink({ uri: "/graphql", credentials: "same-origin" }),
    cache: new InMemoryCache(),
  }),
  session: { loginId: "standalone", username: "standalone", isRoot: false },
  institution: { id: "standalone", name: "Standalone" },
  locale: navigator.language.startsWith("en") ? "en" : "fr",
  navigate: (path) => window.history.pushState(null, "", path),
  notify: (message) => console.info(message),
};

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root");
createRoot(root).render(
  manifest.pages.map(({ path, component: Page }) => <Page key={path} context={context} params={{}} />),
);
