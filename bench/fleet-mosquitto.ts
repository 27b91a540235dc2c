import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mqttPacket from "mqtt-packet";
import type { ClientRecord } from "../src/fleet/types.js";
import { MOSQUITTO_SWEEP_INTERVAL_MS } from "../src/keepalive/mosquitto-arithmetic.js";
import { freePort, MOSQUITTO } from "../test/helpers/mosquitto.js";
import { type BrokerUnderTest, mosquittoSilentKickAt, stopChild } from "./fleet-broker.js";
import { monoMs } from "./mono-time.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** true once the broker answers a CONNECT with a CONNACK (its main loop runs). */
function connackProbe(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.once("connect", () =>
      s.write(
        mqttPacket.generate({ cmd: "connect", clientId: "mqdiag-bench-probe", keepalive: 0, clean: true }),
      ),
    );
    s.once("data", (d: Buffer) => done(d[0] === 0x20));
    s.once("error", () => done(false));
    s.once("close", () => done(false));
  });
}

/**
 * Phase from the first kicks, when the start bracket was ambiguous: the whole second (mod 6) at which most silent
 * clients were closed (mosquitto closes a kicked client ≤ ~0.1 s after its sweep second).
 */
function phaseFromKicks(closedMono: number[]): number | null {
  const counts = new Map<number, number>();
  for (const t of closedMono) {
    const r = Math.floor(t / 1000) % 6;
    counts.set(r, (counts.get(r) ?? 0) + 1);
  }
  const best = [...counts].sort((a, b) => b[1] - a[1])[0];
  return best === undefined ? null : best[0] * 1000;
}

/**
 * The real mosquitto 2.0 on a free loopback port. Its sweep runs in its main loop's first iteration and then
 * every 6 s on whole seconds of CLOCK_MONOTONIC (docs/mosquitto-measured.md). The bench starts it just after a
 * whole monotonic second and reads the monotonic clock at the spawn and when the first CONNACK arrives: the first
 * sweep lies between the two, so when both fall in one whole second that second is the phase (retried up to 3
 * times; else inferred from the kicks observed, and said so).
 */
export async function startMosquitto(): Promise<BrokerUnderTest | undefined> {
  const bin = MOSQUITTO;
  if (!bin) return undefined;
  const dir = mkdtempSync(join(tmpdir(), "mqdiag-bench-mosquitto-"));
  const port = await freePort();
  const conf = join(dir, "m.conf");
  writeFileSync(
    conf,
    [
      "user root",
      "per_listener_settings false",
      "allow_anonymous true",
      "persistence false",
      "log_dest none",
      "max_connections -1",
      `listener ${port} 127.0.0.1`,
      "",
    ].join("\n"),
  );
  let attempt = 0;
  for (;;) {
    attempt += 1;
    await sleep(1010 - (monoMs() % 1000));
    const spawnedMono = monoMs();
    const child = spawn(bin, ["-c", conf], { stdio: "ignore" });
    let readyMono = Number.NaN;
    for (let i = 0; i < 250 && child.exitCode === null; i++) {
      if (await connackProbe(port)) {
        readyMono = monoMs();
        break;
      }
      await sleep(20);
    }
    if (Number.isNaN(readyMono)) {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`mosquitto did not answer on 127.0.0.1:${port}`);
    }
    const bracketed = Math.floor(spawnedMono / 1000) === Math.floor(readyMono / 1000);
    if (!bracketed && attempt < 3) {
      await stopChild(child);
      continue;
    }
    const startPhase = bracketed ? Math.floor(spawnedMono / 1000) * 1000 : null;
    const startedIn = `${(readyMono - spawnedMono).toFixed(0)} ms`;
    return {
      name: "real mosquitto 2.0.11",
      target: { host: "127.0.0.1", port },
      pid: child.pid ?? 0,
      stop: async () => {
        await stopChild(child);
        rmSync(dir, { recursive: true, force: true });
      },
      async predictor(benchOffsetMs: number, silent: readonly ClientRecord[]) {
        const phase =
          startPhase ??
          phaseFromKicks(
            silent
              .filter((r) => r.closedBy === "broker" && r.closedAt !== null)
              .map((r) => (r.closedAt ?? 0) + benchOffsetMs),
          );
        const source =
          startPhase !== null
            ? `sweep phase from the process start: spawn → first CONNACK took ${startedIn}, within one monotonic second (attempt ${attempt}); connectAt ∈ [CONNECT sent, CONNACK received], exact when both give the same kick`
            : `sweep phase INFERRED from the kicks observed (the start bracket straddled a second 3 times)`;
        return {
          source,
          predict(record) {
            if (phase === null || record.lastSentAt === null || record.connectedAt === null) return null;
            const phaseMono = phase % MOSQUITTO_SWEEP_INTERVAL_MS;
            const early = mosquittoSilentKickAt(
              record.keepaliveMs,
              record.lastSentAt + benchOffsetMs,
              phaseMono,
            );
            const late = mosquittoSilentKickAt(
              record.keepaliveMs,
              record.connectedAt + benchOffsetMs,
              phaseMono,
            );
            return early === null || early !== late ? null : early - benchOffsetMs;
          },
        };
      },
    };
  }
}
