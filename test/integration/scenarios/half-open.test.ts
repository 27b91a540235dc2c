import { describe, expect, it } from "vitest";
import { DEFAULT_PROFILE_OPTIONS, type ProfileOptions } from "../../../src/core/profile.js";
import { halfOpenOutcome } from "../../../src/scenarios/half-open.js";
import { runScenarios } from "../../../src/scenarios/run-scenarios.js";
import { DEFAULT_SCENARIO_OPTIONS } from "../../../src/scenarios/types.js";
import { closedAfterArgs } from "../../helpers/scenario-check.js";

/**
 * half-open on the embedded broker (auto time scale), keepalive 2: the client pings once, then its link goes
 * silent both ways for good. The broker ends the connection where its model says, after the last packet it got
 * (the on-time PINGREQ at ~2 s): NanoMQ Q 10 s → its tick at 25 s after CONNECT, 23 s after the PINGREQ; Q 1 s →
 * ⌊2.5⌋+1 = 3 idle ticks, 3–4 s; mosquitto ⌊3⌋ = 3 s plus up to 6 s of sweep; spec 1.5 × 2 = 3 s. The client
 * never sees that close (its own keepalive gives up, and its FIN is lost too).
 */
const CASES: { name: string; profile: ProfileOptions; ids: string[]; fromS: number; toS: number }[] = [
  {
    name: "nanomq (latest wording, Q 10 s)",
    profile: DEFAULT_PROFILE_OPTIONS,
    ids: ["keepalive-timeout", "recv-error", "parse-error"],
    fromS: 23,
    toS: 23,
  },
  {
    name: "nanomq 0.21 (Q 1 s)",
    profile: { ...DEFAULT_PROFILE_OPTIONS, nanomqVersion: [0, 21, 9], retryIntervalMs: 1000 },
    ids: ["keepalive-timeout", "recv-error", "parse-error"],
    fromS: 3,
    toS: 4,
  },
  {
    name: "mosquitto",
    profile: { ...DEFAULT_PROFILE_OPTIONS, profile: "mosquitto" },
    ids: ["keepalive-timeout"],
    fromS: 3,
    toS: 9,
  },
  {
    name: "spec",
    profile: { ...DEFAULT_PROFILE_OPTIONS, profile: "spec" },
    ids: ["keepalive-timeout"],
    fromS: 3,
    toS: 3,
  },
];

describe("half-open on the embedded broker", () => {
  it.each(CASES)("$name: only the broker's keepalive ends it, in the model's window", async (c) => {
    const run = await runScenarios({
      names: ["half-open"],
      profile: c.profile,
      options: { ...DEFAULT_SCENARIO_OPTIONS, keepaliveS: 2 },
      timeScale: "auto",
    });
    const s = run.scenarios[0];
    expect({ verdict: s?.verdict, failed: s?.checks.filter((x) => !x.ok) }).toEqual({
      verdict: "reproduced",
      failed: [],
    });
    expect(s?.signatures.map((g) => g.id)).toEqual(c.ids);
    if (c.profile.profile === "nanomq")
      expect(s?.signatures.map((g) => g.detail)).toEqual([{}, { reason: "Object closed" }, { rv: 139 }]);
    const h = halfOpenOutcome.of(s);
    expect(h?.brokerClosedAt).not.toBeNull();
    const closed = closedAfterArgs(s);
    // the model's window after the last packet, from the broker's own record; ±0.6 s: when the PINGREQ went out
    // (MQTT.js's timer at ×10–20 on a loaded machine: a 30 ms lag is 0.3–0.6 scenario s)
    expect(Number(closed?.fromS)).toBeGreaterThanOrEqual(c.fromS - 0.6);
    expect(Number(closed?.toS)).toBeLessThanOrEqual(c.toS + 0.6);
    // the client never learnt of the close: the dead link held the broker's FIN
    const subject = s?.clients.find((r) => r.clientId === h?.clientId);
    expect(subject?.closedBy).not.toBe("broker");
    expect(h?.tcpKeepalive).toEqual({ idleS: 7200, intervalS: 75, probes: 9 });
  });
});
