import { afterEach, describe, expect, it } from "vitest";
import { nanomqAvailable } from "../../helpers/nanomq.js";
import { endAll } from "../broker/mqtt5-procedures.js";
import {
  expectWillWindows,
  kickedWillArrival,
  sessionPresentAfter,
  type WillWindowCase,
  willArrival,
} from "../broker/mqtt5-will.js";
import { nanomq025SideBySide } from "../broker/side-by-side.js";

/**
 * (5.0) Will Delay Interval on the real NanoMQ 0.25.3 and the embedded nanomq profile side by side (retry_interval
 * Q = 1 s; all cases at once on each broker). Measured (5 runs, and the same on 0.21.9): a session NanoMQ caches
 * (clean start 0) keeps its pipe timer ticking (1.5 s after CONNECT, then each second) and at each tick n += 1; the
 * session ends, and the will goes, at the first tick after CONNECT + the delay (a time stamp taken at CONNECT: delay
 * 2 → 2.5 s after CONNECT, whether the drop came at 0 s or at 2.2 s) or at the first tick with n·Q > session expiry,
 * n counted from the last packet received (session 1 → 2.5 s, session 0 → 1.5 s, session 2 silent 2.2 s → 3.5 s);
 * a will with no delay property waits for that expiry (none within the window at session 60), a 3.1.1 will for
 * ever; a reconnect within the delay, resuming or with a clean start → no will; with clean start 1 on the will's
 * own connection the will goes at once whatever the delay. Windows are ms after the drop, ±~250 ms around the tick.
 */
const WINDOW_MS = 3500;
const CASES: WillWindowCase[] = [
  { c: { delayS: 2, expiryS: 60 }, window: [2300, 2800] },
  { c: { delayS: 10, expiryS: 1 }, window: [2300, 2800] },
  { c: { delayS: 2, expiryS: 0 }, window: [1300, 1800] },
  { c: { delayS: 0, expiryS: 60 }, window: [1300, 1800] },
  { c: { delayS: 2, expiryS: 60, connectedMs: 2200 }, window: [100, 600] },
  { c: { delayS: 10, expiryS: 2, connectedMs: 2200 }, window: [1100, 1600] },
  { c: { delayS: 0, expiryS: 60, noDelayProperty: true }, window: null },
  { c: { delayS: 0, expiryS: 0, v311: true }, window: null },
  { c: { delayS: 3, expiryS: 60, reconnect: { afterMs: 1000, clean: false } }, window: null },
  { c: { delayS: 3, expiryS: 60, reconnect: { afterMs: 1000, clean: true } }, window: null },
  { c: { delayS: 3, expiryS: 60, cleanStart: true }, window: [0, 300] },
];

describe.runIf(nanomqAvailable("0.25.3"))(
  "Will Delay Interval: real NanoMQ 0.25.3 and the nanomq profile",
  () => {
    const { both } = nanomq025SideBySide();
    afterEach(endAll);

    /**
     * Also, alongside: a kicked client's kept will. Keepalive 1 s, silent: kicked at the 3.5 s tick; 0.25.3 then stops
     * the pipe's timer, so its will (delay 1 s, session 60 s) never goes (measured: none within 6 s).
     */
    it("each case: the will at the same tick on both, or no will on both", async () => {
      const [[onReal, kickedReal], [onProfile, kickedProfile]] = await both((b) =>
        Promise.all([
          Promise.all(CASES.map(({ c }) => willArrival(b.env, c, WINDOW_MS))),
          kickedWillArrival(b.env, b.port, WINDOW_MS),
        ]),
      );
      expectWillWindows(CASES, onReal, onProfile);
      for (const kicked of [kickedReal, kickedProfile]) {
        expect(kicked.closedAfterMs).toBeGreaterThan(3300);
        expect(kicked.closedAfterMs).toBeLessThan(3900);
        expect(kicked.will).toBeNull();
      }
    }, 20_000);

    /**
     * The kept session ends on the same tick as its will would (measured on 0.25.3 and 0.21.9): session expiry 2 s,
     * dropped at once → still there at 3 s, gone at 4 s (the 3.5 s tick, n = 3 > 2); session 0 → still there 0.7 s
     * after the drop (until the 1.5 s tick); a will delay of 1 s ends a 60 s session at the 1.5 s tick, after a
     * DISCONNECT too (its will discarded, its time stamp not). Each reconnect is ≥ 0.5 s from the nearest tick.
     */
    it("a kept session ends on a tick of its pipe: the session present flag on both", async () => {
      const cases = [
        { c: { expiryS: 2 }, afterMs: 2800, present: true },
        { c: { expiryS: 2 }, afterMs: 3800, present: false },
        { c: { expiryS: 0 }, afterMs: 700, present: true },
        { c: { expiryS: 60, delayS: 1 }, afterMs: 2800, present: false },
        { c: { expiryS: 60, delayS: 1, disconnect: true }, afterMs: 2800, present: false },
        { c: { expiryS: 60, delayS: 1, disconnect: true }, afterMs: 700, present: true },
      ];
      const [onReal, onProfile] = await both((b) =>
        Promise.all(cases.map(({ c, afterMs }) => sessionPresentAfter(b.env, c, afterMs))),
      );
      const want = cases.map((k) => k.present);
      expect(onReal).toEqual(want);
      expect(onProfile).toEqual(want);
    }, 20_000);
  },
);
