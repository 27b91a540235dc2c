import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { retainTopic } from "../../../src/probe/checks/retain.js";
import { probeExitStatus } from "../../../src/probe/exit-status.js";
import { runProbe } from "../../../src/probe/runner.js";
import type { ProbeResult } from "../../../src/probe/types.js";
import { type Mosquitto, mosquittoAvailable, startMosquitto } from "../../helpers/mosquitto.js";
import { expectCode, findingOf } from "../../helpers/probe-finding.js";
import { probeOptions } from "./probe-options.js";

const check = findingOf;

/** What the real mosquitto_sub sees retained under `topicFilter` (empty = nothing left behind). */
/** The real mosquitto_pub against the test broker. */
function mosquittoPub(broker: Mosquitto, args: string[]): void {
  execFileSync("mosquitto_pub", ["-h", "127.0.0.1", "-p", String(broker.port), ...args]);
}

function retainedLeft(broker: Mosquitto, topicFilter: string): string {
  try {
    return execFileSync(
      "mosquitto_sub",
      ["-h", "127.0.0.1", "-p", String(broker.port), "-t", topicFilter, "--retained-only", "-W", "2", "-v"],
      { encoding: "utf8", timeout: 10_000 },
    );
  } catch (err) {
    // -W ends mosquitto_sub with a non-zero status when the timeout passes without a message: nothing retained.
    return (err as { stdout?: string }).stdout ?? "";
  }
}

describe.runIf(mosquittoAvailable())("mqdiag probe against the real mosquitto 2.0", () => {
  let broker: Mosquitto;
  let full: ProbeResult;
  const prefix = "mqdiag/probe-it";
  const runId = "fullrun1";
  beforeAll(async () => {
    broker = await startMosquitto();
    full = await runProbe(probeOptions(broker.url, { retainPrefix: prefix, runId }));
  }, 60_000);
  afterAll(async () => {
    await broker?.stop();
  });

  it("connects with MQTT 5 and also accepts 3.1.1", () => {
    const f = check(full, "connect");
    expect(f.status).toBe("pass");
    expectCode(f, "connected");
    expect(f.measured.mqttVersion).toBe("5");
    expect(f.measured.versions).toMatchObject({ "5": { accepted: true }, "3.1.1": { accepted: true } });
    expect(full.target.mqttVersion).toBe("5");
  });

  it("infers mosquitto's keepalive model: multiplier ≈ 1.5, granularity ≈ 6 s, kicks only late", () => {
    const f = check(full, "keepalive");
    const inferred = f.measured.inferred as { multiplier: number; granularity: number };
    // mosquitto kicks in (1.5k, 1.5k + 6] s at 1-s resolution; each stagger round meets its sweep at one phase,
    // so the slope is 1.5 whatever the phase (measured 1.50–1.51) and the spread at one keepalive ~6 s.
    expect(inferred.multiplier).toBeGreaterThan(1.4);
    expect(inferred.multiplier).toBeLessThan(1.7);
    expect(inferred.granularity).toBeGreaterThan(5);
    expect(inferred.granularity).toBeLessThan(7);
    // the model fit: a broker-wide sweep, its period read off the close times' lattice (no adaptive round)
    expect(f.measured.inferred).toMatchObject({ model: "sweep" });
    const granularityS = (f.measured.inferred as { granularityS: number }).granularityS;
    expect(granularityS).toBeGreaterThan(5.5);
    expect(granularityS).toBeLessThan(6.5);
    const samples = f.measured.samples as { keepalive: number; kickAfter: number; closeKind: string }[];
    expect(samples).toHaveLength(9);
    for (const s of samples) {
      // whole-second arithmetic: keepalive 1 → 1*3/2 = 1, so mosquitto may kick just after 1.0 s
      expect(s.kickAfter).toBeGreaterThan(1.5 * s.keepalive - 0.5);
      expect(s.kickAfter).toBeLessThan(1.5 * s.keepalive + 7.5);
    }
    // Sweep kicks come late; whole-second kicks can come up to 0.5 s early: warn, never pass, never fail.
    expect(f.status).toBe("warn");
    expect(f.code).toBe((f.measured.belowSpec as number) > 0 ? "early-whole-second" : "late-kick");
    expect((f.measured.reading as { code: string }).code).toBe("multiplier-with-sweep");
  });

  it("gets the will after a reset and after each silent death", () => {
    const f = check(full, "will");
    expect(f.status).toBe("pass");
    expectCode(f, "delivered");
    expect(f.measured.willsArrived).toBe(9);
    expect(f.measured.afterResetMs as number).toBeLessThan(1000);
  });

  it("malformed passes: mosquitto closes on both default variants", () => {
    const f = check(full, "malformed");
    expect(f.status).toBe("pass");
    expect(f.measured.leftOpen).toEqual([]);
  });

  it("retain passes and mosquitto_sub independently finds nothing retained under the prefix", () => {
    const f = check(full, "retain");
    expect(f.status).toBe("pass");
    expect(f.measured.topic).toBe(retainTopic(prefix, runId));
    expect(f.measured.leftBehind).toEqual([]);
    expect(retainedLeft(broker, `${prefix}/#`)).toBe("");
  });

  it("identifies mosquitto from three signs: CONNACK `22 00 0a 21 00 14`, the sweep, a plain close on takeover", () => {
    expect(full.identified).toMatchObject({
      broker: "mosquitto",
      basis: "measured",
      confidence: "high",
      agreeing: 3,
    });
    expect(full.identified?.evidence.map((e) => [e.signal, e.names.includes("mosquitto")])).toEqual([
      ["mqtt-versions", false],
      ["connack-properties", true],
      ["keepalive-model", true],
      ["takeover", true],
    ]);
    expect(full.identified?.candidates).toEqual(["mosquitto"]);
  });

  it("takeover passes: the first connection is closed", () => {
    const f = check(full, "takeover");
    expect(f.status).toBe("pass");
    expectCode(f, "first-closed");
    expect(["fin", "disconnect"]).toContain(f.measured.closeKind);
  });

  it("exits 0 (late kicks only warn with --fail-on error) and 1 with --fail-on warn", () => {
    expect(probeExitStatus(full, "error")).toBe(0);
    const warned = full.checks.some((c) => c.status === "warn");
    expect(probeExitStatus(full, "warn")).toBe(warned ? 1 : 0);
  });

  it("the mosquitto_sub check does see a retained message when one is left (control)", async () => {
    mosquittoPub(broker, ["-t", "ctl/left", "-m", "x", "-r"]);
    try {
      expect(retainedLeft(broker, "ctl/#")).toContain("ctl/left");
    } finally {
      mosquittoPub(broker, ["-t", "ctl/left", "-n", "-r"]);
    }
  });

  it("--deep: reports every variant; mosquitto closes on each one it treats as malformed", async () => {
    const result = await runProbe(
      probeOptions(broker.url, { checks: ["connect", "malformed"], deep: true, timeoutMs: 2000 }),
    );
    const f = check(result, "malformed");
    const variants = f.measured.variants as { variant: string; closed: boolean }[];
    expect(variants.map((v) => v.variant)).toContain("garbage-before-connect");
    expect(variants.length).toBe(10);
    const closed = Object.fromEntries(variants.map((v) => [v.variant, v.closed]));
    expect(closed["remaining-length-overflow"]).toBe(true);
    expect(closed["packet-type-0"]).toBe(true);
    expect(closed["garbage-before-connect"]).toBe(true);
    // docs/broker-facts.md: mosquitto answers a PINGREQ with flag bits set instead of closing
    expect(closed["pingreq-flags"]).toBe(false);
    expect(f.status).toBe("fail");
  });
});
