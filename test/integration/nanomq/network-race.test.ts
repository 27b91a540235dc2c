import { describe, expect, it } from "vitest";
import {
  DEFAULT_SCENARIO_OPTIONS,
  type ScenarioName,
  type ScenarioRun,
} from "../../../src/scenarios/types.js";
import {
  brokersForDescribe,
  externalAndEmbedded,
  nanomqProfileOf,
  raceOutcome,
} from "../../helpers/external-and-embedded.js";
import { NANOMQ_VERSIONS, nanomqAvailable, startNanomq } from "../../helpers/nanomq.js";

/**
 * network-stall and pingresp-lost against the real NanoMQ 0.21.9 and 0.25.3 (retry_interval Q = 1 s, multiplier
 * 1.25), each client behind its own relay; the same runs on the embedded nanomq profile of that version must give
 * the same outcome (who gave up first, how the old connection ended, the lines).
 *   keepalive 2: MQTT.js gives up 3 s after its PINGRESP at ~2 s (5 s); NanoMQ kicks at the tick 3·Q after the
 *     first tick after the PINGREQ (5.5 s): the client first by 0.5 s, its reconnect takes over.
 *   keepalive 6: MQTT.js at 6 + 9 = 15 s; NanoMQ at 6.5 + 8 = 14.5 s: the broker first by 0.5 s.
 * pingresp-lost (keepalive 2): the client gives up 3 s after its CONNACK; the broker got the PINGREQ at 2 s and
 * would kick at 5.5 s: never, the reconnect takes over first.
 * Each test on a broker of its own; the tests and the builds side by side.
 */
const outcome = (run: ScenarioRun) => raceOutcome(run, (r) => r.lines.map((l) => [l.id, l.detail]));

for (const version of NANOMQ_VERSIONS)
  describe.runIf(nanomqAvailable(version))(
    `network races against the real NanoMQ ${version}`,
    { concurrent: true },
    () => {
      const profile = nanomqProfileOf(version);
      const broker = brokersForDescribe(2, () => startNanomq(version, { retryIntervalS: 1 }), 250_000);

      async function both(names: ScenarioName[], keepaliveS: number) {
        const options = { ...DEFAULT_SCENARIO_OPTIONS, keepaliveS };
        const [real, embedded] = await externalAndEmbedded({ names, profile, options }, broker(), "in turn");
        for (const s of real.scenarios)
          expect({ name: s.name, failed: s.checks.filter((c) => !c.ok) }).toEqual({
            name: s.name,
            failed: [],
          });
        expect(outcome(real)).toEqual(outcome(embedded));
        return real;
      }

      const takeoverLines =
        version === "0.25.3"
          ? [
              ["takeover", {}],
              ["recv-error", { reason: "Object closed" }],
              ["parse-error", { rv: 139 }],
            ]
          : [
              ["recv-error", { reason: "Object closed" }],
              ["parse-error", { rv: 139 }],
            ];

      it("keepalive 2: the client first, its reconnect takes over (network-stall and pingresp-lost)", async () => {
        const real = await both(["network-stall", "pingresp-lost"], 2);
        expect(outcome(real)).toEqual([
          {
            name: "network-stall",
            verdict: "reproduced",
            first: "client",
            ended: "takeover",
            lines: takeoverLines,
          },
          {
            name: "pingresp-lost",
            verdict: "reproduced",
            first: "client",
            ended: "takeover",
            lines: takeoverLines,
          },
        ]);
      }, 90_000);

      it("keepalive 6: the broker kicks first (14.5 s), before the client gives up (15 s)", async () => {
        const real = await both(["network-stall"], 6);
        expect(outcome(real)).toEqual([
          {
            name: "network-stall",
            verdict: "reproduced",
            first: "broker",
            ended: "keepalive",
            lines: [
              ["keepalive-timeout", {}],
              ["recv-error", { reason: "Object closed" }],
              ["parse-error", { rv: 139 }],
            ],
          },
        ]);
      }, 90_000);
    },
  );
