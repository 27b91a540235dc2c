import { readdirSync } from "node:fs";
import net from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { realClock } from "../../../src/core/clock.js";
import { classifyLogs } from "../../../src/logs/classify.js";
import { followLog } from "../../../src/logs/follow-log.js";
import type { Incident } from "../../../src/logs/incident.js";
import { tailLog } from "../../../src/scenarios/log-tail.js";
import { NANOMQ_VERSIONS, type Nanomq, nanomqAvailable, startNanomq } from "../../helpers/nanomq.js";

/** Bare TCP connections, each closed before any CONNECT: two lines each, ~190 bytes a line, so 90 of them rotate twice. */
const CONNECTIONS = 90;

async function openAndClose(port: number): Promise<void> {
  await new Promise<void>((resolve) => {
    const socket = net.connect(port, "127.0.0.1", () => setTimeout(() => socket.destroy(), 2));
    socket.once("close", () => resolve());
    socket.once("error", () => {});
  });
}

async function until(check: () => boolean, what: () => string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each(NANOMQ_VERSIONS)("following a real NanoMQ %s log through its rotation at 10 KB", (version) => {
  const run = nanomqAvailable(version);
  let broker: Nanomq | undefined;
  beforeAll(async () => {
    if (run) broker = await startNanomq(version, { rotationSize: "10KB", rotationCount: 5 });
  }, 240_000);
  afterAll(async () => {
    await broker?.stop();
  });

  it.runIf(run)(
    "logs --follow and the scenarios' --broker-log tail each see every line once; the rotated files classify the same",
    async () => {
      const b = broker as Nanomq;
      const seen: Incident[] = [];
      const controller = new AbortController();
      const followed = followLog(b.logPath, {
        signal: controller.signal,
        onIncident: (i) => seen.push(i),
        pollMs: 20,
        idleMs: 300,
      });
      const tailed: string[] = [];
      const tail = await tailLog(b.logPath, realClock(), (line) => tailed.push(line), 20);
      const closed = () => seen.filter((i) => i.kind === "closed-before-connect").length;
      try {
        for (let i = 0; i < CONNECTIONS; i++) await openAndClose(b.port);
        await until(
          () => closed() >= CONNECTIONS,
          () => `${closed()} of ${CONNECTIONS} closed-before-connect incidents followed`,
        );
        await new Promise((r) => setTimeout(r, 400));
      } finally {
        await tail.stop();
        controller.abort();
      }
      const summary = await followed;

      const rotated = readdirSync(b.dir).filter((f) => /^nanomq\.log\.\d+$/.test(f));
      expect(rotated.length, "NanoMQ rotated its log").toBeGreaterThanOrEqual(2);
      // Every connection is one complete incident, in the follower and in its summary.
      expect(seen.map((i) => i.kind)).toEqual(Array(CONNECTIONS).fill("closed-before-connect"));
      expect(seen.filter((i) => !i.complete || i.guessed)).toEqual([]);
      expect(summary.incidents.get("closed-before-connect")?.count).toBe(CONNECTIONS);
      // The tail the scenarios use saw each nego line exactly once, across the renames.
      expect(tailed.filter((l) => l.includes("nego aio error: Connection shutdown"))).toHaveLength(
        CONNECTIONS,
      );
      expect(tailed.filter((l) => l.includes("connect nego error"))).toHaveLength(CONNECTIONS);

      // `mqdiag logs nanomq.log*`: the glob's order is not time order; the content's is.
      const files = readdirSync(b.dir)
        .filter((f) => f.startsWith("nanomq.log"))
        .sort()
        .map((f) => join(b.dir, f));
      const all = await classifyLogs(files);
      expect(all.incidents.get("closed-before-connect")?.count).toBe(CONNECTIONS);
      expect(all.incidents.get("closed-before-connect")?.incomplete).toBe(0);
      expect([...all.incidents.keys()]).toEqual(["closed-before-connect"]);
      expect(all.files[all.files.length - 1]?.path).toBe(b.logPath);
    },
    60_000,
  );
});
