import { type AparteSimulator, startAparteSimulator } from "@billetix/connector-aparte/simulator";
import type { Browser, BrowserContext, Page } from "playwright-core";
import type { GraphqlClient } from "../../gateway/test/support/graphql-client";
import { startTestGateway, type TestGateway } from "../../gateway/test/support/test-gateway";
import { dashboardRow, expectText, expectVisible, logIn, PASSWORD, seedCustomer } from "./support/backoffice";
import { launchChromium } from "./support/browser";

/**
 * More back-office screens driven as a newcomer would: venues, events and performances typed in
 * their forms, users' flags, password and disabling, and the dashboard's sorting and paging. Only
 * what a scenario is not about is seeded through GraphQL.
 */
let t: TestGateway;
let browser: Browser;
let root: GraphqlClient;
let aparte: AparteSimulator;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  [t, browser, aparte] = await Promise.all([
    startTestGateway(),
    launchChromium(),
    startAparteSimulator({ seed: 7 }),
  ]);
  root = await t.asRoot();
});
afterAll(async () => {
  await browser?.close();
  await aparte?.close();
  await t?.stop();
});
beforeEach(async () => {
  context = await browser.newContext({ serviceWorkers: "block" });
  page = await context.newPage();
});
afterEach(() => context?.close());

const navLink = (name: string) => page.getByRole("link", { name, exact: true });

/** A date as the screens show it (Paris time, French short format). */
const shown = (iso: string) =>
  new Intl.DateTimeFormat("fr-FR", {
    dateStyle: "short",
    timeStyle: "short",
    timeZone: "Europe/Paris",
  }).format(new Date(iso));

describe("the back office's catalogue, users and dashboard in a browser", () => {
  it("creates a venue, an event, dated and undated performances, edits, archives, and refuses an end before the start", async () => {
    const customer = await seedCustomer(t, root, "Catalogue");
    const venueName = `Théâtre ${customer.n}`;
    const eventName = `Concert ${customer.n}`;
    await logIn(page, t, customer.master);
    await expectVisible(page.getByTestId("current-institution"), customer.name);
    await navLink("Lieux et événements").click();
    await expectVisible(page.getByRole("heading", { name: "Lieux, événements et représentations" }));

    await page.getByRole("button", { name: "+ Créer lieu" }).click();
    const venueForm = page.getByRole("form", { name: "Créer lieu" });
    await venueForm.getByLabel("Nom").fill(venueName);
    await venueForm.getByLabel("Ville").fill("Nantes");
    await venueForm.getByRole("button", { name: "Enregistrer" }).click();
    await expectVisible(page.getByRole("heading", { name: `Événements — ${venueName}` }));

    await page.getByRole("button", { name: "+ Créer événement" }).click();
    const eventForm = page.getByRole("form", { name: "Créer événement" });
    await eventForm.getByLabel("Nom").fill(eventName);
    await eventForm.getByRole("button", { name: "Enregistrer" }).click();
    const eventLine = page.getByRole("row").filter({ hasText: eventName });
    await eventLine.getByRole("button", { name: "Représentations" }).click();
    await expectVisible(page.getByRole("heading", { name: `Représentations de « ${eventName} »` }));

    const create = page.getByRole("form", { name: "Créer représentation" });
    const createPerformance = async (startsAt: string, endsAt: string) => {
      await page.getByRole("button", { name: "+ Créer représentation" }).click();
      await create.getByLabel("Début").fill(startsAt);
      await create.getByLabel("Fin", { exact: true }).fill(endsAt);
      await create.getByRole("button", { name: "Créer" }).click();
    };
    const line = (text: string) => page.getByRole("row").filter({ hasText: text });

    // Dated, typed: the first is edited, the second archived.
    await createPerformance("2030-05-10T20:00", "2030-05-10T22:30");
    await expectVisible(line("10/05/2030 20:00"));
    await createPerformance("2030-05-11T20:00", "2030-05-11T22:30");
    await expectVisible(line("11/05/2030 20:00"));

    // Undated: a label and a validity period.
    await page.getByRole("button", { name: "+ Créer représentation" }).click();
    await create.getByLabel("Non datée (libellé et période de validité)").check();
    await create.getByLabel("Libellé affiché sur le scanner").fill("Pass festival");
    await create.getByLabel("Valable à partir du").fill("2030-07-01T10:00");
    await create.getByLabel("Valable jusqu'au").fill("2030-07-03T23:00");
    await create.getByRole("button", { name: "Créer" }).click();
    await expectVisible(line("Pass festival"), "Non datée");

    // Refused: an end before the start; the French error shows and the typed values stay.
    await page.getByRole("button", { name: "+ Créer représentation" }).click();
    await create.getByLabel("Début").fill("2030-06-01T20:00");
    await create.getByLabel("Fin", { exact: true }).fill("2030-06-01T18:00");
    await create.getByRole("button", { name: "Créer" }).click();
    await expectVisible(create.getByRole("alert"), "La fin doit être postérieure au début.");
    expect(await create.getByLabel("Début").inputValue()).toBe("2030-06-01T20:00");
    expect(await create.getByLabel("Fin", { exact: true }).inputValue()).toBe("2030-06-01T18:00");
    await create.getByRole("button", { name: "Annuler" }).click();

    // Multi-pass with its limits.
    await page.getByRole("button", { name: "Modifier la représentation — 10/05/2030 20:00" }).click();
    const edit = page.getByRole("form", { name: "Modifier la représentation" });
    await edit.getByLabel("Mode de contrôle").selectOption({ label: "Multipassage" });
    await edit.getByLabel("Passages au total par billet").fill("3");
    await edit.getByLabel("Passages par jour (vide : sans limite)").fill("2");
    await edit.getByRole("button", { name: "Enregistrer" }).click();
    await expectText(line("10/05/2030 20:00").getByRole("cell").nth(3), /^Multipassage3 \/ 2$/);

    await page.getByRole("button", { name: "Archiver — 11/05/2030 20:00" }).click();
    await expectVisible(line("11/05/2030 20:00"), "archivé");

    await navLink("Représentations").click();
    const rows = dashboardRow(page, eventName);
    await expectVisible(rows, "10/05/2030 20:00");
    await expectVisible(rows, "Pass festival");
    expect(await rows.count()).toBe(2);
    expect(await rows.filter({ hasText: "11/05/2030" }).count()).toBe(0);
  });

  it("adds two of a partner's dates from « Ajouter des représentations automatiquement », tickets included", async () => {
    const customer = await seedCustomer(t, root, "Aparté");
    const { createSource } = await customer.client.request(
      `mutation($input: CreateSourceInput!) { createSource(input: $input) { id configProblems } }`,
      {
        input: {
          institutionId: customer.institutionId,
          type: "aparte",
          name: "Billetterie Aparté",
          config: { baseUrl: aparte.url, organismeId: aparte.organismeId, apiKey: aparte.apiKey },
        },
      },
    );
    expect(createSource.configProblems).toEqual([]);
    // What the partner offers, to know what the screen should show.
    const { partnerCatalogs } = await customer.client.request(
      `query($i: ID!) { partnerCatalogs(institutionId: $i) { venues { id name events { id name dates { id startsAt } } } } }`,
      { i: customer.institutionId },
    );
    const venue = partnerCatalogs[0].venues[0];
    const event = venue.events[0];
    const dates: { id: string; startsAt: string }[] = event.dates.slice(0, 2);
    expect(dates).toHaveLength(2);
    const validAt = (dateId: string) =>
      (aparte.billets(dateId) ?? []).filter((b) => b.etat === "VALIDE").length;

    await logIn(page, t, customer.master);
    await expectVisible(page.getByTestId("current-institution"), customer.name);
    await navLink("Ajouter des représentations automatiquement").click();
    await expectVisible(page.getByRole("heading", { name: "Billetterie Aparté" }));
    const openTree = async () => {
      await page.getByRole("button", { name: `${venue.name} : déplier` }).click();
      await page.getByRole("button", { name: `${event.name} : déplier` }).click();
    };
    const dateBox = (iso: string) => page.getByRole("checkbox", { name: new RegExp(`^${shown(iso)}`) });
    await openTree();
    for (const date of dates) await dateBox(date.startsAt).check();
    await page.getByRole("button", { name: "Ajouter (2)" }).click();
    await expectVisible(
      page.getByText("2 représentation(s) créée(s) ; leurs billets sont en cours d'import."),
    );

    await navLink("Représentations").click();
    const rows = dashboardRow(page, event.name);
    for (const date of dates)
      await expectText(
        rows
          .filter({ hasText: shown(date.startsAt) })
          .getByRole("cell")
          .nth(5),
        new RegExp(`^0 / ${validAt(date.id)}$`),
      );
    expect(await rows.count()).toBe(2);

    await navLink("Ajouter des représentations automatiquement").click();
    await openTree();
    await expectVisible(page.getByRole("button", { name: `${event.name} : replier` }));
    for (const date of dates) expect(await dateBox(date.startsAt).count()).toBe(0);
  });

  it("changes a user's flags in place, sets a password they log in with, then disables them", async () => {
    const customer = await seedCustomer(t, root, "Utilisateurs");
    const username = `caisse-${customer.n}`;
    await customer.client.request(
      `mutation($input: CreateLoginInput!) { createLogin(input: $input) { id } }`,
      {
        input: {
          username,
          password: PASSWORD,
          institutionId: customer.institutionId,
          flags: { scanner: true, admin: false, backoffice: false },
        },
      },
    );
    await logIn(page, t, customer.master);
    await expectVisible(page.getByTestId("current-institution"), customer.name);
    await navLink("Utilisateurs").click();
    await expectVisible(page.getByRole("heading", { name: `Utilisateurs de ${customer.name}` }));
    const userLine = page.getByRole("row").filter({ hasText: username });

    // Controlled boxes: they show the new state once the server has saved it.
    const box = (name: string) => userLine.getByRole("checkbox", { name });
    await box("Backoffice").click();
    await box("Backoffice").and(page.locator(":checked")).waitFor();
    await box("PDA").click();
    await box("PDA").and(page.locator(":not(:checked)")).waitFor();
    await page.reload();
    await box("Backoffice").and(page.locator(":checked")).waitFor();
    expect(await userLine.getByRole("checkbox", { name: "PDA" }).isChecked()).toBe(false);
    expect(await userLine.getByRole("checkbox", { name: "Admin" }).isChecked()).toBe(false);

    await userLine.getByRole("button", { name: `Nouveau mot de passe — ${username}` }).click();
    await userLine.getByLabel("Nouveau mot de passe").fill("nouveau-secret-42");
    await userLine.getByRole("button", { name: "Enregistrer" }).click();
    await expectVisible(
      page.getByText("Mot de passe remplacé ; les sessions de cet utilisateur sont fermées."),
    );

    const other = await browser.newContext({ serviceWorkers: "block" });
    try {
      const second = await other.newPage();
      await logIn(second, t, username, "nouveau-secret-42");
      await expectVisible(second.getByTestId("current-institution"), customer.name);

      await userLine.getByRole("button", { name: `Désactiver — ${username}` }).click();
      await expectVisible(page.getByText("Utilisateur désactivé."));
      await expectVisible(userLine.getByText("Désactivé"));

      const third = await (await browser.newContext({ serviceWorkers: "block" })).newPage();
      await logIn(third, t, username, "nouveau-secret-42");
      await expectVisible(third.getByText("Ce login est désactivé."));
      await third.context().close();
    } finally {
      await other.close();
    }
  });

  it("sorts the dashboard and pages through 25 performances", async () => {
    const customer = await seedCustomer(t, root, "Pages");
    // 24 undated ones a day apart in 2030, after the seeded one (on now).
    for (let day = 1; day <= 24; day++)
      await customer.client.request(
        `mutation($input: CreatePerformanceInput!) { createPerformance(input: $input) { id } }`,
        {
          input: {
            eventId: customer.eventId,
            dated: false,
            label: `Séance ${String(day).padStart(2, "0")}`,
            startsAt: new Date(Date.UTC(2030, 0, day, 9)).toISOString(),
            endsAt: new Date(Date.UTC(2030, 0, day, 18)).toISOString(),
          },
        },
      );
    await logIn(page, t, customer.master);
    await expectVisible(page.getByTestId("current-institution"), customer.name);
    await navLink("Représentations").click();
    const pager = page.getByRole("navigation", { name: "Pagination" });
    await expectVisible(pager, "Page 1 sur 1 (25 représentations)");

    await page.getByLabel("Par page").selectOption("10");
    await page.getByLabel("Ordre").selectOption({ label: "Décroissant" });
    await expectVisible(pager, "Page 1 sur 3 (25 représentations)");
    const rows = page.locator("tbody tr");
    await expectText(rows.first(), /Séance 24/);
    await pager.getByRole("button", { name: "Suivante" }).click();
    await expectVisible(pager, "Page 2 sur 3 (25 représentations)");
    await expectText(rows.first(), /Séance 14/);
    await expectText(rows.last(), /Séance 05/);
    expect(await rows.count()).toBe(10);

    // Another sort goes back to page 1: by creation, the seeded one first.
    await page.getByLabel("Trier par").selectOption({ label: "Création" });
    await page.getByLabel("Ordre").selectOption({ label: "Croissant" });
    await expectVisible(pager, "Page 1 sur 3 (25 représentations)");
    await expectText(rows.nth(1), /Séance 01/);
    await expectText(rows.nth(2), /Séance 02/);
  });
});
