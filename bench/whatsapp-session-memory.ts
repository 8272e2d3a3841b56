/**
 * What a WhatsApp Web session costs a node in memory. Baileys: `sessions` engines on the fake
 * socket (the real engine code, linked and idle on the simulated network), measured as the
 * process's heap and RSS growth per session after a garbage collection; the fake holds no
 * WebSocket, noise keys or signal store, so a real Baileys session costs more. whatsapp-web.js: one
 * Chromium launched as the engine launches it (Debian's /usr/bin/chromium, same flags) with one
 * page, measured as the proportional set size of all its processes — what a real session costs before
 * WhatsApp Web itself loads (that needs the internet). Sizes in MB.
 */
import { readFileSync } from "node:fs";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { SessionCredentials } from "../packages/server/src/domain/whatsapp-web/session-credentials.ts";
import { createBaileysEngine } from "../packages/server/src/providers/whatsapp-web/baileys/engine.ts";
import { fakeBaileys } from "../packages/server/src/providers/whatsapp-web/baileys/fake-socket.ts";
import { startLinked } from "../packages/server/src/providers/whatsapp-web/simulated/link.ts";
import { SimulatedWhatsApp } from "../packages/server/src/providers/whatsapp-web/simulated/network.ts";
import { processStats } from "./proc-stat.ts";

export interface SessionMemoryResult {
  baileys_sessions: number;
  baileys_heap_mb_per_session: number;
  baileys_rss_mb_per_session: number;
  /** Proportional set size of the Chromium (all its processes). */
  whatsapp_web_js_chromium_pss_mb: number | null;
  whatsapp_web_js_note: string;
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

function collect(): void {
  setFlagsFromString("--expose_gc");
  (runInNewContext("gc") as () => void)();
}

function memoryCredentials(): SessionCredentials {
  const stored = new Map<string, string>();
  return {
    get: async (keys) => new Map(keys.flatMap((key) => (stored.has(key) ? [[key, stored.get(key)!] as const] : []))),
    set: async (changes) => {
      for (const [key, value] of changes) {
        if (value === null) stored.delete(key);
        else stored.set(key, value);
      }
    },
    clear: async () => stored.clear(),
  };
}

/**
 * Proportional set size (bytes) of a process and all its descendants, from /proc: unlike RSS it
 * shares the pages Chromium's processes have in common instead of counting them in each.
 */
function treePss(rootPid: number): number {
  const parents = new Map<number, number>();
  const rss = new Map<number, number>();
  for (const [pid, { fields }] of processStats() ?? []) {
    parents.set(pid, Number(fields[1]));
    try {
      const pss = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"));
      rss.set(pid, pss ? Number(pss[1]) * 1024 : Number(fields[21]) * 4096);
    } catch {
      // The process ended while we looked.
    }
  }
  const inTree = (pid: number): boolean => pid === rootPid || (parents.has(pid) && pid !== 1 && inTree(parents.get(pid)!));
  return [...rss].filter(([pid]) => inTree(pid)).reduce((sum, [, bytes]) => sum + bytes, 0);
}

async function chromiumPageRss(): Promise<number | null> {
  const { default: puppeteer } = await import("puppeteer");
  const browser = await puppeteer
    .launch({ executablePath: "/usr/bin/chromium", headless: true, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"] })
    .catch(() => null);
  if (!browser) return null;
  try {
    const page = await browser.newPage();
    await page.goto("about:blank");
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const pid = browser.process()?.pid;
    return pid ? treePss(pid) : null;
  } finally {
    await browser.close();
  }
}

/** Measures both engines' cost per session. */
export async function measureSessionMemory(options: { sessions: number }): Promise<SessionMemoryResult> {
  const network = new SimulatedWhatsApp();
  const { makeSocket, downloadMedia } = fakeBaileys(network);
  const engines = [];
  try {
    collect();
    const before = process.memoryUsage();
    for (let index = 0; index < options.sessions; index++) {
      const engine = createBaileysEngine({ credentials: memoryCredentials(), makeSocket, downloadMedia });
      const business = `+1555${String(index).padStart(7, "0")}`;
      await startLinked(network, engine, business);
      engines.push(engine);
    }
    collect();
    const after = process.memoryUsage();
    const chromium = await chromiumPageRss();
    return {
      baileys_sessions: options.sessions,
      baileys_heap_mb_per_session: mb((after.heapUsed - before.heapUsed) / options.sessions),
      baileys_rss_mb_per_session: mb((after.rss - before.rss) / options.sessions),
      whatsapp_web_js_chromium_pss_mb: chromium === null ? null : mb(chromium),
      whatsapp_web_js_note: "one Chromium with one blank page, before WhatsApp Web loads (it needs the internet)",
    };
  } finally {
    for (const engine of engines) await engine.stop().catch(() => {});
    network.close();
  }
}
