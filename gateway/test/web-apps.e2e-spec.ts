import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startTestGateway, type TestGateway } from "./support/test-gateway";

let t: TestGateway;
let webRoot: string;
beforeAll(async () => {
  webRoot = await mkdtemp(path.join(tmpdir(), "billetix-web-"));
  await mkdir(path.join(webRoot, "mfe", "backoffice"), { recursive: true });
  await writeFile(path.join(webRoot, "index.html"), "<!doctype html><title>shell</title>");
  await writeFile(path.join(webRoot, "main.0123abcd.js"), "console.log('shell');");
  await writeFile(path.join(webRoot, "sw.js"), "// service worker");
  await writeFile(path.join(webRoot, "manifest.webmanifest"), "{}");
  await writeFile(path.join(webRoot, "mfe", "backoffice", "remoteEntry.js"), "var backoffice;");
  await writeFile(path.join(webRoot, "mfe", "backoffice", "123.89abcdef.js"), "// chunk");
  t = await startTestGateway({ env: { WEB_ROOT: webRoot } });
});
afterAll(async () => {
  await t?.stop();
  await rm(webRoot, { recursive: true, force: true });
});

describe("serving the web apps", () => {
  it("serves the shell at / and its entry files with no-cache", async () => {
    for (const file of ["/", "/index.html", "/sw.js", "/manifest.webmanifest"]) {
      const res = await fetch(`${t.baseUrl}${file}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("no-cache");
    }
    expect(await (await fetch(`${t.baseUrl}/`)).text()).toContain("<title>shell</title>");
    // Plain HTTP (COOKIE_SECURE unset): the page's requests must not be upgraded to HTTPS.
    const csp = (await fetch(`${t.baseUrl}/`)).headers.get("content-security-policy");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("upgrade-insecure-requests");
  });

  it("answers app routes with index.html (SPA fallback)", async () => {
    const res = await fetch(`${t.baseUrl}/backoffice/performances/123`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    expect(res.headers.get("cache-control")).toBe("no-cache");
    expect(await res.text()).toContain("<title>shell</title>");
  });

  it("never answers the API's paths with index.html", async () => {
    for (const p of ["/api/nothing-here", "/exports/nothing-here", "/mfe/nothing-here/x", "/missing.js"]) {
      const res = await fetch(`${t.baseUrl}${p}`);
      expect({ p, status: res.status }).toEqual({ p, status: 404 });
    }
    const health = await fetch(`${t.baseUrl}/health`);
    expect(await health.json()).toEqual({ status: "ok" });
    const graphql = await fetch(`${t.baseUrl}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ me { login { id } } }" }),
    });
    expect(await graphql.json()).toEqual({ data: { me: null } });
  });

  it("serves each remote at /mfe/<name>/: remoteEntry.js no-cache, hashed chunks cached long", async () => {
    const entry = await fetch(`${t.baseUrl}/mfe/backoffice/remoteEntry.js`);
    expect(entry.status).toBe(200);
    expect(entry.headers.get("cache-control")).toBe("no-cache");
    expect(await entry.text()).toBe("var backoffice;");
    const chunk = await fetch(`${t.baseUrl}/mfe/backoffice/123.89abcdef.js`);
    expect(chunk.status).toBe(200);
    expect(chunk.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const shellChunk = await fetch(`${t.baseUrl}/main.0123abcd.js`);
    expect(shellChunk.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
  });
});
