import { afterEach, describe, expect, it } from "vitest";
import { nanomqAvailable } from "../../helpers/nanomq.js";
import { arrivalsAcked } from "../broker/mqtt5-flow.js";
import { endAll } from "../broker/mqtt5-procedures.js";
import { nanomq025SideBySide } from "../broker/side-by-side.js";

/**
 * (5.0) Receive Maximum on the real NanoMQ 0.25.3 and the embedded nanomq profile side by side (retry_interval
 * 1 s). Measured: NanoMQ sends the client's Receive Maximum of QoS 1 messages at once; the rest go to the session
 * cache and come one per tick of the subscriber's pipe timer (1.5 s after CONNECT, then each second), each with DUP,
 * a message only once it is at least 1.25 s old (nmq_mqtt.c / broker_tcp.c; 5 runs: first re-send 1.44–1.47 s
 * after the publisher is done, then 1.00 ± 0.01 s apart). Which messages go first varies run to run (m0 m1, or m0 m2
 * then m1 with DUP), so the order is not compared. When the publisher is done more than 0.25 s after the
 * subscriber's CONNECT (a loaded machine), the 1.5 s tick finds the messages under 1.25 s old and the re-sends come
 * a tick later, 2.13–2.14 s and then ~3.1 s after it (seen on both, same run): a message is re-sent at most
 * 1.25 + 1 s after it came, the next one a second later, so the window is 4 s (it was 3 s: one re-send seen).
 */
describe.runIf(nanomqAvailable("0.25.3"))(
  "Receive Maximum: real NanoMQ 0.25.3 and the nanomq profile",
  () => {
    const { both } = nanomq025SideBySide();
    afterEach(endAll);

    it("Receive Maximum 2, 4 messages: 2 at once, the other 2 one per tick with DUP, on both", async () => {
      const runs = await both((b) => arrivalsAcked(b.env, b.port, 2, 4, 4000));
      for (const seen of runs) {
        const first = seen.filter((m) => !m.dup);
        const again = seen.filter((m) => m.dup);
        expect(first.length).toBe(2);
        for (const m of first) expect(m.atMs).toBeLessThan(300);
        expect(again.length).toBe(2);
        expect(new Set(seen.map((m) => m.payload))).toEqual(new Set(["m0", "m1", "m2", "m3"]));
        // the first re-send at a tick when the message is ≥ 1.25 s old, then one per 1 s tick
        // (≥ 1.25 s after the broker's receipt, which is after the first PUBLISH went: counted from the publisher
        // being done, the profile's came at 1239–1249 ms in 2 of 5 runs beside CPU hogs — the PUBACKs read late)
        expect(again[0]?.sincePublishMs).toBeGreaterThanOrEqual(1250);
        expect(again[0]?.atMs).toBeLessThan(2600);
        for (let i = 1; i < again.length; i++) {
          const gap = (again[i]?.atMs ?? 0) - (again[i - 1]?.atMs ?? 0);
          expect(Math.abs(gap - 1000)).toBeLessThan(150);
        }
      }
    }, 20_000);
  },
);
