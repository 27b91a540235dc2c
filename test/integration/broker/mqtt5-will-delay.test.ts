import { afterEach, describe, expect, it } from "vitest";
import { scaledClock } from "../../../src/core/clock.js";
import { broker } from "./helpers.js";
import { clockEnv, endAll } from "./mqtt5-procedures.js";
import { willArrival } from "./mqtt5-will.js";

/**
 * (5.0) The will of a v5 session on the spec profile, MQTT.js 5 clients on a clock 10× real time: the will waits
 * its Will Delay Interval or until the session ends, whichever is first (§3.1.3.2.2); a reconnect that resumes the
 * session within the delay means no will [MQTT-3.1.3-9]; a clean start ends the old session, so the will goes then.
 */
afterEach(endAll);

const WINDOW_MS = 4500;
/**
 * Clock ms of slack for the clients' own time, which the scale multiplies (a 45 ms CONNECT under load is 450 clock
 * ms): still well short of what a wrong model would give (the other interval, or at once).
 */
const SLACK_MS = 900;

describe("spec profile: Will Delay Interval", () => {
  it("delay 2 s, session 60 s: the will after 2 s; delay 10 s, session 1 s: at the session's end, 1 s; session 0: at once", async () => {
    const clock = scaledClock(10);
    const b = await broker({ profile: "spec", clock });
    const env = clockEnv(b.url, clock);
    const now = () => clock.now();
    const [delayed, sessionEnd, noSession] = await Promise.all([
      willArrival(env, { delayS: 2, expiryS: 60 }, WINDOW_MS, now),
      willArrival(env, { delayS: 10, expiryS: 1 }, WINDOW_MS, now),
      willArrival(env, { delayS: 2, expiryS: 0 }, WINDOW_MS, now),
    ]);
    expect(delayed).toBeGreaterThanOrEqual(2000);
    expect(delayed).toBeLessThan(2000 + SLACK_MS);
    expect(sessionEnd).toBeGreaterThanOrEqual(1000);
    expect(sessionEnd).toBeLessThan(1000 + SLACK_MS);
    expect(noSession).toBeLessThan(SLACK_MS);
  });

  it("a reconnect resuming the session within the delay: no will; a clean start: the will at that moment", async () => {
    const clock = scaledClock(10);
    const b = await broker({ profile: "spec", clock });
    const env = clockEnv(b.url, clock);
    const now = () => clock.now();
    const [resumed, clean] = await Promise.all([
      willArrival(
        env,
        { delayS: 3, expiryS: 60, reconnect: { afterMs: 1000, clean: false } },
        WINDOW_MS,
        now,
      ),
      willArrival(env, { delayS: 3, expiryS: 60, reconnect: { afterMs: 1000, clean: true } }, WINDOW_MS, now),
    ]);
    expect(resumed).toBeNull();
    expect(clean).toBeGreaterThanOrEqual(1000);
    expect(clean).toBeLessThan(1000 + SLACK_MS);
  });
});
