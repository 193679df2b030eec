import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { AparteBillet } from "../aparte-api";
import { type AparteSimulator, startAparteSimulator } from "./index";

async function call(
  sim: AparteSimulator,
  path: string,
  key: string | null = sim.apiKey,
  organismeId = sim.organismeId,
) {
  const res = await fetch(`${sim.url}/v1/organismes/${organismeId}/${path}`, {
    headers: key === null ? {} : { "X-Api-Key": key },
  });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, text, body: body as Record<string, unknown> };
}

async function readAll(sim: AparteSimulator, idSeance: string, limit: number): Promise<AparteBillet[]> {
  const all: AparteBillet[] = [];
  for (let offset = 0; ; offset += limit) {
    const { body } = await call(sim, `seances/${idSeance}/billets?offset=${offset}&limit=${limit}`);
    all.push(...(body.billets as AparteBillet[]));
    if (offset + limit >= (body.total as number)) return all;
  }
}

async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("Aparté simulator", () => {
  let sim: AparteSimulator;
  beforeAll(async () => {
    sim = await startAparteSimulator({ seed: 1, slowMs: 60 });
  });
  afterAll(() => sim.close());

  describe("API shape", () => {
    it("lists 2 or 3 theatres, their shows and their séances in Paris time without offset", async () => {
      const lieux = (await call(sim, "lieux")).body.lieux as { idLieu: string; nom: string; ville: string }[];
      expect(lieux.length).toBeGreaterThanOrEqual(2);
      expect(lieux.length).toBeLessThanOrEqual(3);
      for (const lieu of lieux)
        expect(lieu).toEqual({
          idLieu: expect.any(String),
          nom: expect.stringMatching(/^Théâtre/),
          ville: expect.any(String),
        });

      const spectacles = (await call(sim, "spectacles")).body.spectacles as {
        idSpectacle: string;
        idLieu: string;
        titre: string;
      }[];
      expect(spectacles.length).toBeGreaterThanOrEqual(lieux.length * 2);
      for (const spectacle of spectacles) {
        expect(lieux.map((l) => l.idLieu)).toContain(spectacle.idLieu);
        const seances = (await call(sim, `spectacles/${spectacle.idSpectacle}/seances`)).body
          .seances as Record<string, string>[];
        expect(seances.length).toBeGreaterThanOrEqual(2);
        for (const seance of seances) {
          expect(seance.dateDebut).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
          expect(seance.dateFin > seance.dateDebut).toBe(true);
        }
      }
    });

    it("serves 150 billets per seeded séance with French fields, some cancelled and some re-issued", async () => {
      const seances = sim.seances();
      expect(seances.every((s) => s.total === 150)).toBe(true);
      const { status, body } = await call(sim, `seances/${seances[0].idSeance}/billets?offset=0&limit=2000`);
      expect(status).toBe(200);
      expect(body).toMatchObject({ total: 150, offset: 0, limit: 2000 });
      const billets = body.billets as AparteBillet[];
      expect(billets).toHaveLength(150);
      for (const b of billets) {
        expect(b.numeroBillet).toMatch(/^\d{13}$/);
        expect(["VALIDE", "ANNULE", "REEDITE"]).toContain(b.etat);
        expect(b.prixTTC).toMatch(/^\d+,\d{2}$/);
        expect(["Plein tarif", "Réduit", "Abonné"]).toContain(b.tarif);
        expect(b.placement).toMatch(/^$|^(Orchestre|Corbeille|Balcon) - Rang [A-Z] - Place \d+$/);
        expect(b.nom && b.prenom && b.numeroCommande && b.categorie).toBeTruthy();
      }
      const every = seances.flatMap((s) => sim.billets(s.idSeance));
      expect(every.some((b) => b.etat === "ANNULE")).toBe(true);
      expect(every.some((b) => b.etat === "REEDITE")).toBe(true);
      for (const b of every) expect(b.placement === "").toBe(b.categorie === "Placement libre");
      expect(new Set(every.map((b) => b.numeroBillet)).size).toBe(every.length);
    });

    it("re-issues a billet as a new number with the same seat and holder", () => {
      const all = sim.billets(sim.seances()[1].idSeance);
      const old = all.find((b) => b.etat === "VALIDE" && b.placement !== "") ?? all[0];
      const fresh = sim.reissue(old.numeroBillet);
      const after = sim.billets(sim.seances()[1].idSeance);
      expect(after.find((b) => b.numeroBillet === old.numeroBillet)?.etat).toBe("REEDITE");
      expect(after.at(-1)).toEqual({ ...old, numeroBillet: fresh, etat: "VALIDE" });
    });
  });

  describe("requests it refuses", () => {
    const seance = () => sim.seances()[0].idSeance;
    it.each([
      ["no key", 401, () => call(sim, "lieux", null)],
      ["a wrong key", 401, () => call(sim, "lieux", "apk_wrong")],
      ["an unknown organisme", 404, () => call(sim, "lieux", sim.apiKey, "9999")],
      ["an unknown show", 404, () => call(sim, "spectacles/404/seances")],
      ["an unknown séance", 404, () => call(sim, "seances/99999/billets")],
      ["an unknown route", 404, () => call(sim, "salles")],
      ["limit 0", 400, () => call(sim, `seances/${seance()}/billets?limit=0`)],
      ["limit above 2000", 400, () => call(sim, `seances/${seance()}/billets?limit=2001`)],
      ["a negative offset", 400, () => call(sim, `seances/${seance()}/billets?offset=-1`)],
      ["a non-numeric limit", 400, () => call(sim, `seances/${seance()}/billets?limit=beaucoup`)],
    ] as const)("%s gets HTTP %i", async (_name, status, request) => {
      const res = await request();
      expect(res.status).toBe(status);
      expect(res.body).toEqual({ code: expect.any(String), message: expect.any(String) });
    });
  });

  describe("paging", () => {
    it("gives the same billets whatever the page size", async () => {
      const { idSeance } = sim.seances()[2];
      const whole = sim.billets(idSeance);
      expect(await readAll(sim, idSeance, 40)).toEqual(whole);
      expect(await readAll(sim, idSeance, 2000)).toEqual(whole);
      const past = await call(sim, `seances/${idSeance}/billets?offset=5000&limit=10`);
      expect(past.body).toMatchObject({ total: whole.length, billets: [] });
    });

    it("adds a séance of 100 000 billets quickly and serves it by pages of 2000", async () => {
      const started = performance.now();
      const big = sim.addSeance({ tickets: 100_000 });
      expect(performance.now() - started).toBeLessThan(1500);
      expect(big.total).toBe(100_000);
      const last = await call(sim, `seances/${big.idSeance}/billets?offset=98000&limit=2000`);
      expect(last.body.total).toBe(100_000);
      expect(last.body.billets).toHaveLength(2000);
      const listed = (await call(sim, `spectacles/${big.idSpectacle}/seances`)).body.seances as {
        idSeance: string;
      }[];
      expect(listed.map((s) => s.idSeance)).toContain(big.idSeance);
      expect(sim.seances().find((s) => s.idSeance === big.idSeance)?.total).toBe(100_000);
    });
  });

  describe("changes over time", () => {
    it("sells and cancels", async () => {
      const { idSeance, total } = sim.seances()[3];
      const sold = sim.sell(idSeance, 5);
      expect(sold).toHaveLength(5);
      sim.cancel(sold[0]);
      const billets = sim.billets(idSeance);
      expect(billets).toHaveLength(total + 5);
      expect(billets.slice(total).map((b) => [b.numeroBillet, b.etat])).toEqual(
        sold.map((n, i) => [n, i === 0 ? "ANNULE" : "VALIDE"]),
      );
      expect(() => sim.cancel(sold[0])).toThrow(/ANNULE/);
      expect(() => sim.cancel("0000000000000")).toThrow(/Unknown billet/);
      expect(() => sim.sell("1", 1)).toThrow(/Unknown séance/);
    });

    it("tick() sells on every seeded séance and cancels one billet", () => {
      const before = new Map(sim.seances().map((s) => [s.idSeance, s.total]));
      const { sold, cancelled } = sim.tick();
      const seeded = sim.seances().filter((s) => s.total !== 100_000);
      for (const s of seeded) expect(s.total).toBeGreaterThan(before.get(s.idSeance) ?? 0);
      expect(sold.length).toBeGreaterThanOrEqual(seeded.length);
      expect(cancelled).toHaveLength(1);
    });

    it("ticks on its own with tickEveryMs", async () => {
      const ticking = await startAparteSimulator({ seed: 3, ticketsPerSeance: 5, tickEveryMs: 10 });
      try {
        const id = ticking.seances()[0].idSeance;
        await waitFor(
          () => ticking.seances()[0].total > 5 && ticking.billets(id).some((b) => b.etat === "ANNULE"),
        );
      } finally {
        await ticking.close();
      }
    });
  });

  describe("faults", () => {
    const billetsPath = () => `seances/${sim.seances()[0].idSeance}/billets?offset=0&limit=10`;
    afterAll(() => sim.setFault(null));

    it.each([
      ["error500", 500],
      ["unauthorized", 401],
    ] as const)("%s answers HTTP %i everywhere, then setFault(null) heals", async (fault, status) => {
      sim.setFault(fault);
      expect((await call(sim, "lieux")).status).toBe(status);
      expect((await call(sim, billetsPath())).status).toBe(status);
      sim.setFault(null);
      expect((await call(sim, "lieux")).status).toBe(200);
    });

    it("malformed answers the wrong shape by default", async () => {
      sim.setFault("malformed");
      const page = await call(sim, billetsPath());
      expect(page.status).toBe(200);
      expect((page.body.billets as Record<string, unknown>[])[0].numeroBillet).toBeUndefined();
      expect((await call(sim, "lieux")).body.lieux).toBeUndefined();
    });

    it("malformed can cut the JSON, and spare the pages before an offset", async () => {
      sim.setFault("malformed", { malformedAs: "json", fromOffset: 10 });
      expect((await call(sim, billetsPath())).body.billets).toHaveLength(10);
      const broken = await call(sim, `seances/${sim.seances()[0].idSeance}/billets?offset=10&limit=10`);
      expect(broken.status).toBe(200);
      expect(() => JSON.parse(broken.text)).toThrow();
    });

    it("slow delays every answer", async () => {
      sim.setFault("slow");
      const started = performance.now();
      expect((await call(sim, "lieux")).status).toBe(200);
      expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    });

    it("timeout never answers, and close() still ends at once", async () => {
      const stuck = await startAparteSimulator({ seed: 2, ticketsPerSeance: 1 });
      stuck.setFault("timeout");
      const request = fetch(`${stuck.url}/v1/organismes/${stuck.organismeId}/lieux`, {
        headers: { "X-Api-Key": stuck.apiKey },
        signal: AbortSignal.timeout(300),
      });
      await expect(request).rejects.toThrow();
      const pending = fetch(`${stuck.url}/v1/organismes/${stuck.organismeId}/lieux`, {
        headers: { "X-Api-Key": stuck.apiKey },
      });
      await waitFor(() => stuck.requests().length === 2);
      await stuck.close();
      await expect(pending).rejects.toThrow();
    });
  });

  describe("seed", () => {
    it("gives the same data and key for the same seed, other data for another", async () => {
      const [a, b, c] = await Promise.all([
        startAparteSimulator({ seed: 7 }),
        startAparteSimulator({ seed: 7 }),
        startAparteSimulator({ seed: 8 }),
      ]);
      try {
        const snapshot = async (s: AparteSimulator) => ({
          key: s.apiKey,
          lieux: (await call(s, "lieux")).body,
          spectacles: (await call(s, "spectacles")).body,
          seances: s.seances(),
          billets: s.seances().map((x) => s.billets(x.idSeance)),
        });
        const [sa, sb, sc] = await Promise.all([snapshot(a), snapshot(b), snapshot(c)]);
        expect(sa).toEqual(sb);
        expect(sc.key).not.toBe(sa.key);
        expect(sc.billets).not.toEqual(sa.billets);
        const other = new Set(sc.billets.flat().map((t) => t.numeroBillet));
        const inBoth = sa.billets.flat().filter((t) => other.has(t.numeroBillet));
        expect(inBoth).toEqual([]);
        a.tick();
        b.tick();
        expect(a.seances().map((s) => a.billets(s.idSeance))).toEqual(
          b.seances().map((s) => b.billets(s.idSeance)),
        );
      } finally {
        await Promise.all([a.close(), b.close(), c.close()]);
      }
    });
  });
});
