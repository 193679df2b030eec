import type { Browser, Page } from "playwright-core";
import { Fixtures } from "../../gateway/test/support/fixtures";
import { ROOT_PASSWORD, startTestGateway, type TestGateway } from "../../gateway/test/support/test-gateway";
import { launchChromium } from "./support/browser";

let t: TestGateway;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [t, browser] = await Promise.all([startTestGateway(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

const visible = (locator: ReturnType<Page["locator"]>) =>
  locator.first().waitFor({ state: "visible", timeout: 15_000 });

it("opens an institution's settings with its « Utilisateurs » and « Sources » tabs, by keyboard too", async () => {
  const salle = await new Fixtures(t).institution("Salle des essais");
  const root = await t.asRoot();
  await root.request(`mutation($input: CreateSourceInput!) { createSource(input: $input) { id } }`, {
    input: { institutionId: salle.id, type: "file", name: "Fichiers de la salle", config: {} },
  });

  const context = await browser.newContext({ serviceWorkers: "block" });
  page = await context.newPage();
  try {
    await page.goto(t.baseUrl);
    await page.getByLabel("Login").fill("root");
    await page.getByLabel("Mot de passe").fill(ROOT_PASSWORD);
    await page.getByRole("button", { name: "Se connecter" }).click();
    await page.getByRole("navigation").getByRole("link", { name: "Institutions" }).click();
    await page.getByRole("link", { name: "Paramètres — Salle des essais" }).click();

    await visible(page.getByRole("heading", { name: "Paramètres de « Salle des essais »" }));
    const usersTab = page.getByRole("tab", { name: "Utilisateurs" });
    expect(await usersTab.getAttribute("aria-selected")).toBe("true");
    await visible(page.getByRole("tabpanel").getByRole("heading", { name: /Salle des essais/ }));

    // The arrow key moves to the next tab, as tabs do.
    await usersTab.focus();
    await page.keyboard.press("ArrowRight");
    expect(await page.getByRole("tab", { name: "Sources" }).getAttribute("aria-selected")).toBe("true");
    await visible(page.getByRole("tabpanel").getByText("Fichiers de la salle"));
  } finally {
    await context.close();
  }
});
