import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import type { GraphqlClient } from "../../gateway/test/support/graphql-client";
import { startTestGateway, type TestGateway } from "../../gateway/test/support/test-gateway";
import { REPEAT_WINDOW_MS } from "../../mfe-scanner/src/local/types";
import { type BarcodeKind, writeBarcodeY4m } from "./support/barcode-video";
import { launchChromium } from "./support/browser";
import {
  eventually,
  expectCounter,
  expectResult,
  newDevice,
  readyToScan,
  scan,
  screenshot,
  seedScannerCustomer,
  serverCounters,
  serverScans,
} from "./support/scanner";

/**
 * The scanner's camera: Chromium's fake camera plays a video of a seeded ticket's barcode (made by
 * `writeBarcodeY4m`), so the page decodes a real symbol from a real video track. One Chromium per
 * video: the file is a launch switch.
 */
let t: TestGateway;
let root: GraphqlClient;
let dir: string;
const browsers: Browser[] = [];

beforeAll(async () => {
  [t, dir] = await Promise.all([startTestGateway(), mkdtemp(path.join(tmpdir(), "billetix-camera-"))]);
  root = await t.asRoot();
});
afterAll(async () => {
  for (const b of browsers) await b.close();
  await t?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** A Chromium whose camera films `text` printed as a `format` barcode. */
async function chromiumFilming(text: string, format: BarcodeKind): Promise<Browser> {
  const video = path.join(dir, `${format}.y4m`);
  await writeBarcodeY4m(video, text, { format });
  const browser = await launchChromium([
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    `--use-file-for-fake-video-capture=${video}`,
  ]);
  browsers.push(browser);
  return browser;
}

describe("the scanner's camera in a browser", () => {
  it.each<[BarcodeKind, string]>([
    ["qr", "CAM-QR-0001"],
    ["code128", "CAM-128-0001"],
  ])(
    "reads a %s code from the camera, admits it once however long it stays in view",
    async (format, barcode) => {
      const seeded = await seedScannerCustomer(t, root, `Caméra ${format}`, [
        { tickets: [{ barcode }, { barcode: `${barcode}-B` }] },
      ]);
      const [performance] = seeded.performances;
      const { context, page } = await newDevice(await chromiumFilming(barcode, format));
      try {
        await readyToScan(page, t, seeded);
        await page.getByTestId("camera-toggle").click();
        await page.getByTestId("camera-video").waitFor({ state: "visible", timeout: 10_000 });

        const first = await expectResult(page, barcode, { outcome: "accepted", reason: "ACCEPTED" });
        expect(first.decisionMs).toBeGreaterThanOrEqual(0);
        await expectCounter(page, "admitted", 1);
        await screenshot(page, `camera-${format}`);

        // The code stays in front of the camera while the video plays on, past the scanner's
        // repeat window: read again and again, it is never admitted or recorded again. Real time
        // here: jumping the page's clock would show the camera a gap no real camera sees.
        const playedAt = await videoTime(page);
        await eventually(
          () => videoTime(page),
          (time) => time > playedAt + REPEAT_WINDOW_MS / 1000 + 1,
          REPEAT_WINDOW_MS + 10_000,
          "the camera filming past the repeat window",
        );
        await expectCounter(page, "admitted", 1);

        // The camera off, later, the same ticket typed in: already used.
        await page.getByTestId("camera-toggle").click();
        await page.getByTestId("camera-video").waitFor({ state: "detached", timeout: 10_000 });
        await page.clock.fastForward(REPEAT_WINDOW_MS + 1000);
        await scan(page, barcode, { outcome: "refused", reason: "ALREADY_USED" });
        await expectCounter(page, "admitted", 1);

        // On the server: the camera's one scan and the typed one, nothing else.
        const rows = await eventually(
          () => serverScans(seeded.customer.client, performance.id),
          (r) => r.some((x) => x.reason === "ALREADY_USED"),
        );
        expect(rows.map((r) => `${r.barcode} ${r.reason}`)).toEqual([
          `${barcode} ACCEPTED`,
          `${barcode} ALREADY_USED`,
        ]);
        expect(await serverCounters(seeded.customer.client, performance.id)).toMatchObject({
          admittedCount: 1,
        });
      } finally {
        await context.close();
      }
    },
  );
});

/** Seconds of camera video played (the test id is on the <video> or on its box). */
interface VideoLike {
  currentTime?: number;
  querySelector(selector: "video"): VideoLike | null;
}
const videoTime = (page: Page) =>
  page.getByTestId("camera-video").evaluate((el) => {
    const box = el as unknown as VideoLike;
    return box.currentTime ?? box.querySelector("video")?.currentTime ?? 0;
  });
