import { afterEach, describe, it } from "vitest";
import { nanomqAvailable } from "../../helpers/nanomq.js";
import { endAll } from "../broker/mqtt5-procedures.js";
import { expectWillWindows, type WillWindowCase, willArrival } from "../broker/mqtt5-will.js";
import { nanomq025SideBySide } from "../broker/side-by-side.js";

/**
 * (5.0) Will Delay Interval on the real NanoMQ 0.25.3 and the embedded nanomq profile side by side (retry_interval
 * Q = 1 s; all cases at once on each broker). Measured (5 runs): a session NanoMQ caches (clean start 0) keeps its
 * pipe timer ticking (1.5 s after CONNECT, then each second) and the will goes at the first tick after the delay
 * (delay 2 → 2.5 s) or at the first tick j with j·Q > session expiry (session 1 → 2.5 s, session 0 → 1.5 s); a
 * reconnect within the delay, resuming or with a clean start → no will; with clean start 1 on the will's own
 * connection the will goes at once whatever the delay.
 */
const WINDOW_MS = 3500;
const CASES: WillWindowCase[] = [
  { c: { delayS: 2, expiryS: 60 }, window: [2300, 2800] },
  { c: { delayS: 10, expiryS: 1 }, window: [2300, 2800] },
  { c: { delayS: 2, expiryS: 0 }, window: [1300, 1800] },
  { c: { delayS: 3, expiryS: 60, reconnect: { afterMs: 1000, clean: false } }, window: null },
  { c: { delayS: 3, expiryS: 60, reconnect: { afterMs: 1000, clean: true } }, window: null },
  { c: { delayS: 3, expiryS: 60, cleanStart: true }, window: [0, 300] },
];

describe.runIf(nanomqAvailable("0.25.3"))(
  "Will Delay Interval: real NanoMQ 0.25.3 and the nanomq profile",
  () => {
    const { both } = nanomq025SideBySide();
    afterEach(endAll);

    it("each case: the will at the same tick on both, or no will on both", async () => {
      const [onReal, onProfile] = await both((b) =>
        Promise.all(CASES.map(({ c }) => willArrival(b.env, c, WINDOW_MS))),
      );
      expectWillWindows(CASES, onReal, onProfile);
    }, 20_000);
  },
);
