import { appendFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULT_PROFILE_OPTIONS } from "../../../src/core/profile.js";
import { runScenarios } from "../../../src/scenarios/run-scenarios.js";
import {
  DEFAULT_SCENARIO_OPTIONS,
  type ScenarioName,
  type ScenarioRun,
} from "../../../src/scenarios/types.js";
import { brokerForDescribe, externalAndEmbedded } from "../../helpers/external-and-embedded.js";
import { mosquittoAvailable, startMosquitto } from "../../helpers/mosquitto.js";

const MOSQUITTO_PROFILE = { ...DEFAULT_PROFILE_OPTIONS, profile: "mosquitto" as const };
/** Quick at real time: keepalive 2 s → mosquitto kicks in (3, 9] s. */
const OPTIONS = { ...DEFAULT_SCENARIO_OPTIONS, keepaliveS: 2 };
const NAMES: ScenarioName[] = [
  "tcp-rst",
  "fin-close",
  "malformed-packet",
  "session-takeover",
  "late-ping",
  "corrupt-retain",
];

const idsOf = (run: ScenarioRun, name: string) =>
  [...new Set(run.scenarios.find((s) => s.name === name)?.signatures.map((g) => g.id))].sort();

describe.runIf(mosquittoAvailable())("scenarios against the real mosquitto (--broker, --broker-log)", () => {
  const broker = brokerForDescribe(() => startMosquitto());

  it("reproduce, and the signatures read from its log match the embedded mosquitto profile's", async () => {
    const run = { names: NAMES, profile: MOSQUITTO_PROFILE, options: OPTIONS };
    const [external, embedded] = await externalAndEmbedded(run, broker(), "in turn");
    expect(external.target).toMatchObject({ kind: "external", timeScale: 1 });
    // corrupt-retain's fault lives in the embedded broker's store: against a real broker it is not run.
    expect(external.scenarios.find((s) => s.name === "corrupt-retain")).toMatchObject({
      verdict: "skipped",
      skipReason: "fault-needs-embedded-broker",
      clients: [],
    });
    for (const s of external.scenarios.filter((x) => x.name !== "corrupt-retain")) {
      expect({ name: s.name, verdict: s.verdict, failed: s.checks.filter((c) => !c.ok) }).toEqual({
        name: s.name,
        verdict: "reproduced",
        failed: [],
      });
      expect(s.brokerObserved).toBe(true);
      expect(s.timeScale).toBe(1);
    }
    for (const name of NAMES.filter((n) => n !== "corrupt-retain")) {
      expect({ name, ids: idsOf(external, name) }).toEqual({ name, ids: idsOf(embedded, name) });
    }
    const late = external.scenarios.find((s) => s.name === "late-ping");
    expect(late?.signatures.find((g) => g.id === "keepalive-timeout")?.clientId).toBe("mqdiag-late-ping-1");
  }, 60_000);

  it("other clients' lines in the broker's log are not the scenario's (a stranger's kick, the reachability probe)", async () => {
    // Another client of the same broker is kicked during the run: its line must neither fail tcp-rst's
    // "no keepalive-timeout" nor appear among the scenario's signatures.
    const stranger = setInterval(() => {
      appendFileSync(
        broker().logPath,
        `${Math.floor(Date.now() / 1000)}: Client sensor-42 has exceeded timeout, disconnecting.\n`,
      );
    }, 100);
    let run: ScenarioRun;
    try {
      run = await runScenarios({
        names: ["tcp-rst"],
        profile: MOSQUITTO_PROFILE,
        options: OPTIONS,
        timeScale: 1,
        broker: { url: broker().url, logPath: broker().logPath },
      });
    } finally {
      clearInterval(stranger);
    }
    const s = run.scenarios[0];
    expect(s?.verdict).toBe("reproduced");
    expect(s?.signatures.map((g) => [g.id, g.clientId])).toEqual([["peer-closed", "mqdiag-tcp-rst-rst-1"]]);
  }, 20_000);

  it("without --profile, the log tells mosquitto: its expectations, said in the report; the reachability check is a clean client", async () => {
    const before = broker().log().length;
    const run = await runScenarios({
      names: ["tcp-rst", "session-takeover"],
      profile: DEFAULT_PROFILE_OPTIONS,
      detectProfile: true,
      options: OPTIONS,
      timeScale: 1,
      broker: { url: broker().url, logPath: broker().logPath },
    });
    expect(run.target).toMatchObject({ profileDetected: true, detected: { profile: "mosquitto" } });
    expect(run.target.profile.profile).toBe("mosquitto");
    expect(run.scenarios.map((s) => [s.name, s.verdict])).toEqual([
      ["tcp-rst", "reproduced"],
      ["session-takeover", "reproduced"],
    ]);
    const log = broker().log().slice(before);
    expect(log).toMatch(/New client connected from \S+ as mqdiag-reachability /);
    expect(log).toMatch(/Client mqdiag-reachability disconnected\./);
    expect(log).not.toMatch(/<unknown>/);
  }, 20_000);

  it("without --broker-log it reports what the clients saw and that the broker side was not observed", async () => {
    const run = await runScenarios({
      names: ["tcp-rst"],
      profile: MOSQUITTO_PROFILE,
      options: OPTIONS,
      timeScale: 1,
      broker: { url: broker().url },
    });
    const s = run.scenarios[0];
    expect(s?.brokerObserved).toBe(false);
    expect(s?.signatures).toEqual([]);
    expect(s?.verdict).toBe("reproduced");
    expect(s?.clients.find((c) => !c.control)).toMatchObject({ closedBy: "client", closeKind: "RST" });
  }, 20_000);
});
