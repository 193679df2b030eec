import path from "node:path";
import { startTicketnetSimulator, type TicketnetSimulator } from "@billetix/connector-ticketnet/simulator";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import type { GraphqlClient } from "../../gateway/test/support/graphql-client";
import { startTestGateway, type TestGateway } from "../../gateway/test/support/test-gateway";
import {
  type Customer,
  dashboardRow as dashboardRowOf,
  expectText,
  expectVisible,
  logIn as logInAs,
  PASSWORD,
  seedCustomer as seedCustomerFor,
} from "./support/backoffice";
import { launchChromium } from "./support/browser";

/**
 * The back office driven as a newcomer would: clicks and typing in the real screens, against a real
 * gateway (embedded database) and the Ticketnet simulator. Only what a scenario is not about (the
 * customer institution, its venue, event and performance, the tickets of the counters' scenario)
 * is seeded through the gateway's GraphQL API.
 */
let t: TestGateway;
let browser: Browser;
let ticketnet: TicketnetSimulator;
let root: GraphqlClient;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  [t, browser, ticketnet] = await Promise.all([
    startTestGateway(),
    launchChromium(),
    startTicketnetSimulator({ seed: 11 }),
  ]);
  root = await t.asRoot();
});
afterAll(async () => {
  await browser?.close();
  await ticketnet?.close();
  await t?.stop();
});
beforeEach(async () => {
  context = await browser.newContext({ serviceWorkers: "block" });
  page = await context.newPage();
  page.on("console", (m) => process.env.E2E_CONSOLE && console.log(m.type(), m.text()));
  page.on("pageerror", (e) => process.env.E2E_CONSOLE && console.log("pageerror", e.message));
});
afterEach(() => context?.close());

const logIn = (username: string, password = PASSWORD) => logInAs(page, t, username, password);
const seedCustomer = (label: string, performance: Record<string, unknown> = {}) =>
  seedCustomerFor(t, root, label, performance);

/** Logs in and opens the dashboard from the menu (the shell's home is whichever remote loads first). */
async function openDashboard(customer: Customer): Promise<void> {
  await logIn(customer.master);
  await expectVisible(page.getByTestId("current-institution"), customer.name);
  await navLink("Représentations").click();
  await expectVisible(page.getByRole("heading", { name: `Représentations — ${customer.name}` }));
}

/** The value a `<dl>` of the screen shows for the term `term`. */
const described = (scope: Locator, term: string) =>
  scope.locator("dt", { hasText: term }).locator("xpath=following-sibling::dd[1]");

const navLink = (name: string) => page.getByRole("link", { name, exact: true });

/** The dashboard's line of the performance of `eventName`. */
const dashboardRow = (eventName: string) => dashboardRowOf(page, eventName);

/** Waits until the box shows ticked (a controlled box ticks once the server has saved it). */
async function expectChecked(box: Locator): Promise<void> {
  await box.and(page.locator(":checked")).waitFor({ state: "visible", timeout: 15_000 });
}

/** A screenshot of a main screen, under e2e/test-output/ (ignored by git). */
async function screenshot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(__dirname, "..", "test-output", `backoffice-${name}.png`) });
}

const counterCell = (row: Locator) => row.getByRole("cell").nth(5);

describe("the back office in a browser", () => {
  it("shows the dashboard's counters moving live when a door scans, and saves the PDA box", async () => {
    const customer = await seedCustomer("Compteurs");
    // Tickets through the API: a file source, two tickets, and a door login.
    const { createSource } = await customer.client.request(
      `mutation($input: CreateSourceInput!) { createSource(input: $input) { id } }`,
      { input: { institutionId: customer.institutionId, type: "file", name: "Fichiers", config: {} } },
    );
    const { addPerformanceSource } = await customer.client.request(
      `mutation($p: ID!, $s: ID!) { addPerformanceSource(performanceId: $p, sourceId: $s, input: { params: {} }) { id } }`,
      { p: customer.performanceId, s: createSource.id },
    );
    const upload = await fetch(
      `${t.baseUrl}/api/performance-sources/${addPerformanceSource.id}/file?name=billets.csv`,
      {
        method: "POST",
        headers: { authorization: `Bearer ${customer.client.token}` },
        body: "Numéro de billet;Catégorie;Nom\nC-001;Orchestre;Ana\nC-002;Balcon;Bruno\n",
      },
    );
    expect(upload.status).toBe(200);
    await customer.client.request(
      `mutation($input: CreateLoginInput!) { createLogin(input: $input) { id } }`,
      {
        input: {
          username: `porte-${customer.n}`,
          password: PASSWORD,
          institutionId: customer.institutionId,
          flags: { scanner: true, admin: false, backoffice: false },
        },
      },
    );
    const door = await t.login(`porte-${customer.n}`, PASSWORD);

    await openDashboard(customer);
    const row = dashboardRow(customer.eventName);
    await expectText(counterCell(row), /^0 \/ 2$/);

    const pda = row.getByRole("checkbox", { name: /Contrôle PDA de/ });
    expect(await pda.isChecked()).toBe(false);
    // A controlled box: it shows ticked once the server has saved it.
    await pda.click();
    await expectVisible(page.getByText("Représentation soumise au contrôle."));
    await expectChecked(pda);
    await page.reload();
    await expectText(counterCell(row), /^0 \/ 2$/);
    expect(await row.getByRole("checkbox", { name: /Contrôle PDA de/ }).isChecked()).toBe(true);

    const { checkTicket } = await door.request(
      `mutation($p: ID!) { checkTicket(performanceId: $p, barcode: "C-001") { accepted reason } }`,
      { p: customer.performanceId },
    );
    expect(checkTicket.accepted).toBe(true);
    await expectText(counterCell(row), /^1 \/ 2$/);
    await screenshot("dashboard");
  });

  it("creates a file source, attaches it, imports a CSV, names the bad line of another, and counts", async () => {
    const customer = await seedCustomer("Fichiers");
    await logIn(customer.master);
    await expectVisible(page.getByTestId("current-institution"), customer.name);

    await navLink("Sources").click();
    await expectVisible(page.getByRole("heading", { name: `Sources de ${customer.name}` }));
    await expectVisible(page.getByText("Aucune source."));
    await page.getByLabel("Type de source").selectOption({ label: "Fichier (CSV ou Excel) (Fichier)" });
    await page.getByRole("button", { name: "Ajouter une source" }).click();
    await page.getByLabel(/^Nom/).fill("Billets du guichet");
    await page.getByRole("button", { name: "Créer" }).click();
    await expectVisible(page.getByText("Source créée."));
    await expectVisible(page.getByRole("cell", { name: "Billets du guichet" }));

    await navLink("Représentations").click();
    await dashboardRow(customer.eventName)
      .getByRole("link", { name: /^Sources — / })
      .click();
    await expectVisible(page.getByRole("heading", { name: /^Sources de la représentation/ }));
    await expectVisible(page.getByText("Aucune source sur cette représentation."));
    await page
      .getByLabel("Source", { exact: true })
      .selectOption({ label: "Billets du guichet (Fichier (CSV ou Excel))" });
    await page.getByRole("button", { name: "Ajouter une source" }).click();
    await expectVisible(page.getByText("Source ajoutée à la représentation."));
    await expectVisible(page.getByRole("heading", { name: /Billets du guichet/ }));

    const file = page.getByLabel("Fichier de billets (CSV ou Excel)");
    await file.setInputFiles({
      name: "billets.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(
        "Numéro de billet;Catégorie;Nom\nF-001;Orchestre;Hélène\nF-002;Balcon;Théo\nF-003;Balcon;Zoé\n",
        "utf8",
      ),
    });
    await page.getByRole("button", { name: "Importer un fichier" }).click();
    await expectVisible(page.getByRole("status"), /Import terminé : 3 lignes, 3 créés/);

    await file.setInputFiles({
      name: "mauvais.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("Numéro de billet;Catégorie\nF-004;Orchestre\n;Balcon\n", "utf8"),
    });
    await page.getByRole("button", { name: "Importer un fichier" }).click();
    await expectVisible(page.getByRole("alert"), /Ligne 3/);
    await screenshot("performance-file-source");

    await page.getByRole("link", { name: /Retour aux représentations/ }).click();
    const row = dashboardRow(customer.eventName);
    await expectText(counterCell(row), /^0 \/ 3$/);

    // The categories the file brought, one of them excluded at the door.
    await row.getByRole("link", { name: /^Filtres de catégorie — / }).click();
    await expectVisible(page.getByRole("heading", { name: /^Filtres de catégorie/ }));
    await page.getByRole("checkbox", { name: "Balcon" }).check();
    expect(await page.getByRole("checkbox", { name: "Orchestre" }).isChecked()).toBe(false);
    await page.getByRole("button", { name: "Enregistrer" }).click();
    await expectVisible(page.getByText("Filtres de catégorie enregistrés."));
    await screenshot("categories");
    await page.reload();
    await expectVisible(page.getByRole("checkbox", { name: "Orchestre" }));
    expect(await page.getByRole("checkbox", { name: "Balcon" }).isChecked()).toBe(true);
    expect(await page.getByRole("checkbox", { name: "Orchestre" }).isChecked()).toBe(false);
    await page.getByRole("link", { name: /Retour aux représentations/ }).click();
    await expectVisible(row.getByTitle("Filtre de catégorie actif"), "1");
  });

  it("imports from a Ticketnet source typed in the form, and a cancellation at the partner after « Actualiser »", async () => {
    const customer = await seedCustomer("Ticketnet");
    const [partnerPerformance] = ticketnet.performances();
    const atPartner = ticketnet.tickets(partnerPerformance.id);
    const valid = atPartner.filter((x) => x.status === "VALID");
    await openDashboard(customer);

    await navLink("Sources").click();
    await expectVisible(page.getByRole("heading", { name: `Sources de ${customer.name}` }));
    await page.getByLabel("Type de source").selectOption({ label: "WS Ticketnet (En ligne)" });
    await page.getByRole("button", { name: "Ajouter une source" }).click();
    await page.getByLabel(/^Nom/).fill("Ticketnet du théâtre");
    await page.getByLabel(/^Adresse du service Ticketnet/).fill(ticketnet.url);
    await page.getByLabel(/^Identifiant de connexion/).fill(ticketnet.credentials.login);
    await page.getByLabel(/^Mot de passe/).fill(ticketnet.credentials.password);
    await page.getByRole("button", { name: "Créer" }).click();
    await expectVisible(page.getByText("Source créée."));
    const sourceRow = page.getByRole("row").filter({ hasText: "Ticketnet du théâtre" });
    await expectVisible(sourceRow.getByText("Paramétrage correct"));
    await screenshot("sources");

    await navLink("Représentations").click();
    await dashboardRow(customer.eventName)
      .getByRole("link", { name: /^Sources — / })
      .click();
    await page
      .getByLabel("Source", { exact: true })
      .selectOption({ label: "Ticketnet du théâtre (WS Ticketnet)" });
    await page.getByLabel(/^Identifiant de la représentation chez Ticketnet/).fill(partnerPerformance.id);
    await page.getByRole("button", { name: "Ajouter une source" }).click();
    await expectVisible(page.getByText("Source ajoutée à la représentation."));
    const panel = page.getByRole("article").filter({ hasText: "Ticketnet du théâtre" });
    await expectText(described(panel, "Billets lus"), new RegExp(`^${atPartner.length}$`));
    await expectText(described(panel, "Billets créés ou modifiés"), new RegExp(`^${atPartner.length}$`));
    expect(await panel.locator("dt", { hasText: "Dernière erreur" }).count()).toBe(0);

    ticketnet.cancel(valid[0].barcode);
    await panel.getByRole("button", { name: "Actualiser" }).click();
    await expectVisible(page.getByText("Actualisation lancée."));
    await expectText(described(panel, "Billets créés ou modifiés"), /^1$/);
    await screenshot("performance-partner-source");

    await page.getByRole("link", { name: /Retour aux représentations/ }).click();
    await expectText(counterCell(dashboardRow(customer.eventName)), new RegExp(`^0 / ${valid.length - 1}$`));
  });

  it("creates a sub-institution and a back-office login in it, who then works there", async () => {
    const customer = await seedCustomer("Institutions");
    const sub = `Salle annexe ${customer.n}`;
    const username = `guichet-${customer.n}`;
    await openDashboard(customer);

    await navLink("Institutions").click();
    const create = page.getByRole("form", { name: "Créer une institution" });
    await create.getByRole("option", { name: customer.name }).waitFor({ state: "attached" });
    await create.getByLabel("Nom", { exact: true }).fill(sub);
    await create.getByRole("button", { name: "Créer" }).click();
    await expectVisible(page.getByText(`Institution « ${sub} » créée.`));
    await expectVisible(page.getByRole("listitem").filter({ hasText: sub }));

    await page.getByRole("button", { name: "Changer d'institution" }).click();
    await page.getByRole("list", { name: "Institution" }).getByRole("button", { name: sub }).click();
    await expectVisible(page.getByTestId("current-institution"), sub);
    await navLink("Utilisateurs").click();
    await expectVisible(page.getByRole("heading", { name: `Utilisateurs de ${sub}` }));
    const form = page.getByRole("form", { name: "Créer un utilisateur" });
    await form.getByLabel("Identifiant").fill(username);
    await form.getByLabel(/^Mot de passe/).fill("guichet-password");
    await form.getByLabel("Nom affiché").fill("Guichet annexe");
    await form.getByRole("checkbox", { name: "Backoffice" }).check();
    expect(await form.getByRole("checkbox", { name: "Admin" }).isChecked()).toBe(false);
    await form.getByRole("button", { name: "Créer" }).click();
    await expectVisible(page.getByText(`Utilisateur « ${username} » créé.`));
    const line = page.getByRole("row").filter({ hasText: username });
    await expectVisible(line);
    expect(await line.getByRole("checkbox", { name: "Backoffice" }).isChecked()).toBe(true);
    await screenshot("users");

    await page.getByRole("button", { name: "Se déconnecter" }).click();
    await expectVisible(page.getByRole("button", { name: "Se connecter" }));
    await logIn(username, "guichet-password");
    await expectVisible(page.getByTestId("current-institution"), sub);
    await navLink("Représentations").click();
    await expectVisible(page.getByRole("heading", { name: `Représentations — ${sub}` }));
    await expectVisible(page.getByText("Aucune représentation."));
  });
});
