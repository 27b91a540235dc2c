import { brokerProfile } from "../broker/profiles/broker-profile.js";
import { MOSQUITTO_LIFECYCLE } from "../broker/profiles/mosquitto-measured.js";
import type { ProfileOptions } from "../core/profile.js";
import { toleranceMs } from "./time-scale.js";
import type { ExpectedSignature, ScenarioDefinition } from "./types.js";
import { waitAllClosed } from "./wait-closed.js";

/** How long the profile lets a TCP connection sit without CONNECT: [from, to] scenario ms after it opened. */
export function connectTimeoutWindowMs(p: ProfileOptions): readonly [number, number] {
  if (p.profile === "mosquitto") return MOSQUITTO_LIFECYCLE.noConnect.windowMs;
  const ms = brokerProfile(p).connectTimeoutMs;
  return [ms, ms];
}

function expectedFor(p: ProfileOptions): ExpectedSignature[] {
  // NanoMQ: `nego aio error: Timed out` and `connect nego error rv:(5)` after 15 s (docs/broker-facts.md "Sequences").
  if (p.profile === "nanomq")
    return [{ id: "connect-timeout" }, { id: "connect-timeout", detail: { rv: 5 } }];
  // mosquitto gives the connection keepalive 60 s: `Client <unknown> has exceeded timeout, disconnecting.`
  if (p.profile === "mosquitto") return [{ id: MOSQUITTO_LIFECYCLE.noConnect.signature.id }];
  return [{ id: "connect-timeout" }];
}

/** TCP open, no CONNECT: the broker gives up after its connect timeout. */
export const noConnect: ScenarioDefinition = {
  name: "no-connect",
  behaviours: ["no-connect"],
  explanation: "a connection that never sends CONNECT is closed after the broker's connect timeout",
  expected: (p) => ({ seen: expectedFor(p), absent: [] }),
  durationMs: (p) => connectTimeoutWindowMs(p)[1] + 3000,
  async run(ctx) {
    const [from, to] = connectTimeoutWindowMs(ctx.profile);
    const fleet = await ctx.startFleet({ behaviour: "no-connect", waitCloseMs: to + 2000 });
    const records = () => fleet.records();
    const window = from === to ? `${from / 1000}` : `${from / 1000}–${to / 1000}`;
    await waitAllClosed(
      ctx,
      records,
      to + 2500,
      "the broker to give up",
      `expected ${window} s after TCP connect`,
    );
    const tol = toleranceMs(ctx.clock.scale);
    for (const r of records()) {
      const after = r.closedAt !== null && r.connectedAt !== null ? r.closedAt - r.connectedAt : null;
      ctx.check({
        code: "broker-closed",
        ok: r.closedBy === "broker" && after !== null && after >= from - tol && after <= to + tol,
        essential: true,
        args: {
          clientId: r.clientId,
          afterS: after === null ? null : after / 1000,
          fromS: from / 1000,
          toS: to / 1000,
        },
      });
    }
  },
};
