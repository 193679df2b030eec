#!/usr/bin/env node
// Summarises a V8 .cpuprofile (from `node --cpu-prof`): where the CPU time went, by function
// (self and total time) and by file or package. Optionally only the samples inside a time
// window, given in the profile's clock (microseconds of CLOCK_MONOTONIC, the clock of
// process.hrtime, so a bench can slice one workload out of a whole server's profile).
//
//   node bench/cpuprofile-top.mjs FILE.cpuprofile [N]
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function shortUrl(url) {
  if (!url) return "";
  const p = url.startsWith("file://") ? fileURLToPath(url) : url;
  const nm = p.lastIndexOf("node_modules/");
  if (nm >= 0) return p.slice(nm + "node_modules/".length);
  return p.startsWith(ROOT) ? path.relative(ROOT, p) : p;
}

/** The package (or the repository file) a frame belongs to. */
function areaOf(url, fn) {
  if (!url) return fn.startsWith("(") ? fn : "(native/V8)";
  const s = shortUrl(url);
  if (s.startsWith("node:")) return "node core";
  const m = /^(@[^/]+\/[^/]+|[^/]+)\//.exec(s);
  if (url.includes("node_modules/") && m) return m[1];
  return s;
}

/**
 * @param {object} profile a parsed .cpuprofile
 * @param {{from?: number, to?: number}} [window] microseconds, the profile's clock
 */
export function summarizeProfile(profile, window = {}) {
  const byId = new Map();
  const parent = new Map();
  for (const n of profile.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const keyOf = (n) => {
    const cf = n.callFrame;
    const fn = cf.functionName || "(anonymous)";
    return cf.url ? `${fn}  ${shortUrl(cf.url)}:${cf.lineNumber + 1}` : fn;
  };
  const self = new Map();
  const total = new Map();
  const area = new Map();
  let sampled = 0;
  let t = profile.startTime;
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i++) {
    t += timeDeltas[i];
    const w = i + 1 < timeDeltas.length ? timeDeltas[i + 1] : 0;
    if ((window.from !== undefined && t < window.from) || (window.to !== undefined && t > window.to))
      continue;
    sampled += w;
    const node = byId.get(samples[i]);
    const k = keyOf(node);
    self.set(k, (self.get(k) ?? 0) + w);
    const a = areaOf(node.callFrame.url, node.callFrame.functionName);
    area.set(a, (area.get(a) ?? 0) + w);
    const seen = new Set();
    for (let id = samples[i]; id !== undefined; id = parent.get(id)) {
      const kk = keyOf(byId.get(id));
      if (seen.has(kk)) continue;
      seen.add(kk);
      total.set(kk, (total.get(kk) ?? 0) + w);
    }
  }
  const sorted = (m) => [...m.entries()].sort((x, y) => y[1] - x[1]);
  return { sampledMs: sampled / 1000, self: sorted(self), total: sorted(total), area: sorted(area) };
}

export function formatSummary(s, n = 25) {
  const pct = (us) => `${((100 * us) / Math.max(1, s.sampledMs * 1000)).toFixed(1).padStart(5)}%`;
  const ms = (us) => `${(us / 1000).toFixed(0).padStart(7)} ms`;
  const out = [`  sampled ${s.sampledMs.toFixed(0)} ms of CPU-or-idle time`];
  out.push("  by package / file (self time):");
  for (const [k, us] of s.area.slice(0, 12)) out.push(`   ${pct(us)} ${ms(us)}  ${k}`);
  out.push("  top functions by self time:");
  for (const [k, us] of s.self.slice(0, n)) out.push(`   ${pct(us)} ${ms(us)}  ${k}`);
  out.push("  top functions by total (inclusive) time:");
  const skip = /^\((root|program|idle|garbage collector)\)/;
  for (const [k, us] of s.total.filter(([k]) => !skip.test(k)).slice(0, n)) {
    out.push(`   ${pct(us)} ${ms(us)}  ${k}`);
  }
  return out.join("\n");
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [file, n] = process.argv.slice(2);
  if (!file) {
    console.error("usage: node bench/cpuprofile-top.mjs FILE.cpuprofile [N]");
    process.exit(2);
  }
  const s = summarizeProfile(JSON.parse(fs.readFileSync(file, "utf8")));
  console.log(formatSummary(s, n ? Number(n) : 25));
}
