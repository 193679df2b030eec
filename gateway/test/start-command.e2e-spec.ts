import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { GraphqlClient } from "./support/graphql-client";

/**
 * The Done-when of the gateway, through the real start command (`node gateway/dist/main.js`,
 * what `npm start` runs after building): embedded database as a child process, root from
 * BILLETIX_ROOT_PASSWORD, a customer with its master, who builds a catalogue and sees it.
 */
let dataDir: string;
let gateway: ChildProcess;
let url: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "billetix-start-"));
  gateway = spawn(process.execPath, [path.join(__dirname, "..", "dist", "main.js")], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: "0",
      HOST: "127.0.0.1",
      BILLETIX_ROOT_PASSWORD: "root-start-password",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  url = await new Promise<string>((resolve, reject) => {
    let out = "";
    gateway.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /Billetix is ready: (\S+)/.exec(out);
      if (match) resolve(match[1]);
    });
    gateway.once("exit", (code) => reject(new Error(`the gateway exited during start-up (${code})`)));
  });
});

afterAll(async () => {
  if (gateway.exitCode === null) gateway.kill("SIGKILL");
  await rm(dataDir, { recursive: true, force: true });
});

it("root → customer and master → sub-institution, users, venue, event, performances → dashboard; SIGTERM stops cleanly", async () => {
  const root = new GraphqlClient(url);
  await root.login("root", "root-start-password");
  const rootId = (await root.request("{ institutions { id } }")).institutions[0].id;
  const customer = (
    await root.request(`mutation($i: CreateInstitutionInput!) { createInstitution(input: $i) { id } }`, {
      i: {
        parentId: rootId,
        name: "Arènes de Nîmes",
        master: { username: "arenes", password: "arenes-password" },
      },
    })
  ).createInstitution;

  const master = new GraphqlClient(url);
  await master.login("arenes", "arenes-password");
  const sub = (
    await master.request(
      `mutation { createInstitution(input: { parentId: "${customer.id}", name: "Féria" }) { id } }`,
    )
  ).createInstitution;
  await master.request(`mutation($i: CreateLoginInput!) { createLogin(input: $i) { admin } }`, {
    i: { institutionId: sub.id, username: "portier", password: "portier-password", flags: { scanner: true } },
  });
  const venue = (
    await master.request(
      `mutation { createVenue(institutionId: "${sub.id}", input: { name: "Arènes" }) { id } }`,
    )
  ).createVenue;
  const event = (
    await master.request(
      `mutation { createEvent(input: { venueId: "${venue.id}", name: "Corrida de Pentecôte" }) { id } }`,
    )
  ).createEvent;
  for (const day of ["2027-06-05", "2027-06-06"]) {
    await master.request(`mutation($i: CreatePerformanceInput!) { createPerformance(input: $i) { id } }`, {
      i: {
        eventId: event.id,
        dated: true,
        startsAt: `${day}T16:00:00Z`,
        endsAt: `${day}T19:00:00Z`,
        controlEnabled: true,
      },
    });
  }
  const dashboard = await master.request(
    `{ performanceDashboard(institutionId: "${customer.id}", includeBranch: true) { total rows { institution { name } event { name } performance { controlEnabled } } } }`,
  );
  expect(dashboard.performanceDashboard.total).toBe(2);
  expect(dashboard.performanceDashboard.rows[0]).toEqual({
    institution: { name: "Féria" },
    event: { name: "Corrida de Pentecôte" },
    performance: { controlEnabled: true },
  });

  const exited = new Promise<number | null>((resolve) => gateway.once("exit", (code) => resolve(code)));
  gateway.kill("SIGTERM");
  expect(await exited).toBe(0);
});
