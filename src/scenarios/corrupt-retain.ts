import type { ProfileOptions } from "../core/profile.js";
import { versionAtLeast } from "../core/profile.js";
import type { ExpectedSignature, ScenarioDefinition } from "./types.js";

const WAIT_MESSAGE_MS = 2000;

/**
 * NanoMQ prints `decode retain msg failed, drop msg` when storing (from 0.21.10; still in 0.25.3) and `decode retain msg
 * failed!` when delivering (≥ 0.22.3); mosquitto has no such line; the spec profile words its own.
 */
function expectedFor(p: ProfileOptions): ExpectedSignature[] {
  if (p.profile === "mosquitto") return [];
  if (p.profile === "nanomq" && !versionAtLeast(p.nanomqVersion, [0, 21, 10])) return [];
  return [{ id: "retain-decode-failure" }];
}

/** A stored retained message that no longer decodes (the broker's corrupt-retained fault): dropped on delivery. */
export const corruptRetain: ScenarioDefinition = {
  name: "corrupt-retain",
  behaviours: ["corrupt-retain"],
  explanation:
    "the stored copy of a retained message no longer decodes: a broker-side storage problem a well-formed client cannot cause",
  expected: (p) => ({ seen: expectedFor(p), absent: [] }),
  // The fault is a hook in the embedded broker's retained store: an external broker's store cannot be corrupted
  // over the wire (docs/broker-facts.md), so there the scenario is not run, and never reported as reproduced.
  skipReason: (_p, _o, external) => (external ? "fault-needs-embedded-broker" : undefined),
  durationMs: () => WAIT_MESSAGE_MS + 2000,
  async run(ctx) {
    const prefix = `mqdiag/${ctx.name}/`;
    if (ctx.faults) ctx.faults.corruptRetained = (topic) => topic.startsWith(prefix);
    const fleet = await ctx.startFleet({
      behaviour: "corrupt-retain",
      topic: `${prefix}retained`,
      waitMessageMs: WAIT_MESSAGE_MS,
    });
    await fleet.done();
    // Without the fault (an external broker) the message must arrive intact; with it, it must not arrive.
    for (const c of fleet.clients) {
      const sub = c.records()[1];
      const received = sub?.notes.retainedReceived === true;
      ctx.check({
        code: "client-outcome",
        ok: received === (ctx.faults === undefined),
        essential: true,
        args: {
          clientId: sub?.clientId ?? c.clientId,
          retainedReceived: received,
          faultInjected: !!ctx.faults,
        },
      });
    }
  },
};
