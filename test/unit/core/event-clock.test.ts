import { describe, expect, it } from "vitest";
import { mqttTimerVariant } from "../../../src/core/clock.js";
import { type EventClock, eventClock } from "../../../src/core/event-clock.js";

/** A world the test drives by hand: idle or busy, and an activity count it bumps. */
function world(idle = true) {
  const w = {
    idle,
    activity: 0,
    /** Something keeps moving: the activity count changes at every look. */
    moving: false,
    quiescence: {
      idle: () => {
        if (w.moving) w.activity++;
        return w.idle;
      },
      activity: () => w.activity,
    },
  };
  return w;
}

const clocks: EventClock[] = [];
function clockOf(w: ReturnType<typeof world>): EventClock {
  const clock = eventClock({ quiescence: w.quiescence });
  clocks.push(clock);
  return clock;
}

const realSleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("eventClock", () => {
  it("jumps to the next timer while the world is idle: an hour passes in well under a second", async () => {
    const clock = clockOf(world());
    const start = performance.now();
    const at = clock.now();
    let firedAt = 0;
    await new Promise<void>((resolve) =>
      clock.setTimeout(() => {
        firedAt = clock.now();
        resolve();
      }, 3_600_000),
    );
    expect(performance.now() - start).toBeLessThan(1000);
    // at its due time: the jump lands there; what the callback sees past it is the event loop's own latency after
    // the jump, on a clock that runs at ×1 between jumps (4.3 ms once in a CI run with five test workers)
    expect(firedAt - (at + 3_600_000)).toBeGreaterThanOrEqual(0);
    expect(firedAt - (at + 3_600_000)).toBeLessThan(50);
    expect(clock.stats().jumps).toBe(1);
    expect(clock.stats().skippedMs).toBeGreaterThan(3_599_000);
    clock.stop();
  });

  it("tells its jump listeners of each jump, before the timer jumped to fires", async () => {
    const clock = clockOf(world());
    const heard: number[] = [];
    const off = clock.onJump((): void => void heard.push(clock.now()));
    const firedAt = await new Promise<number>((resolve) =>
      clock.setTimeout(() => resolve(clock.now()), 60_000),
    );
    expect(heard).toHaveLength(1);
    // the listener saw the new time already: the timer's due time, which the timer then fires at
    expect(firedAt - (heard[0] ?? 0)).toBeGreaterThanOrEqual(0);
    expect(firedAt - (heard[0] ?? 0)).toBeLessThan(50); // the event loop's latency at ×1 between the two
    expect(heard[0]).toBeGreaterThanOrEqual(60_000);
    off();
    await clock.sleep(60_000);
    expect(heard).toHaveLength(1);
    clock.stop();
  });

  it("fires timers and intervals in due order at their due times across jumps (ties: the one set first)", async () => {
    const clock = clockOf(world());
    const t0 = clock.now();
    const seen: string[] = [];
    const mark = (name: string) => () => seen.push(`${name}@${clock.now() - t0}`);
    clock.setTimeout(mark("c"), 300_000);
    clock.setTimeout(mark("a"), 100_000);
    clock.setTimeout(mark("b"), 100_000);
    const every = clock.setInterval(mark("i"), 150_000);
    await clock.sleep(400_000);
    clock.clear(every);
    // each at its due time; real time runs on between two callbacks (a turn of the event loop, ~1 ms when loaded)
    expect(seen.map((x) => x.split("@")[0])).toEqual(["a", "b", "i", "c", "i"]);
    const due = [100_000, 100_000, 150_000, 300_000, 300_000];
    seen.forEach((x, i) => {
      const late = Number(x.split("@")[1]) - (due[i] ?? 0);
      expect(late).toBeGreaterThanOrEqual(0);
      expect(late).toBeLessThan(50);
    });
    clock.stop();
  });

  it("runs at real speed while the world is busy", async () => {
    const w = world(false);
    const clock = clockOf(w);
    const startReal = performance.now();
    const start = clock.now();
    await clock.sleep(60);
    const real = performance.now() - startReal;
    const elapsed = clock.now() - start;
    expect(real).toBeGreaterThanOrEqual(59);
    // clock ms = real ms between jumps (the same readings, a few µs apart)
    expect(Math.abs(elapsed - real)).toBeLessThan(5);
    expect(clock.stats().jumps).toBe(0);
  });

  it("jumps once the world turns idle, and not while something keeps moving", async () => {
    const w = world(false);
    const clock = clockOf(w);
    const start = clock.now();
    let fired = false;
    clock.setTimeout(() => {
      fired = true;
    }, 600_000);
    await realSleep(30);
    expect(fired).toBe(false);
    // idle, but the activity count changes at every look: something is still moving
    w.idle = true;
    w.moving = true;
    await realSleep(30);
    w.moving = false;
    expect(fired).toBe(false);
    await realSleep(30);
    expect(fired).toBe(true);
    expect(clock.now() - start).toBeGreaterThanOrEqual(600_000);
    clock.stop();
  });

  it("holds time while held, and jumps once released", async () => {
    const clock = clockOf(world());
    const release = clock.hold();
    let fired = false;
    clock.setTimeout(() => {
      fired = true;
    }, 600_000);
    await realSleep(30);
    expect(fired).toBe(false);
    release();
    release(); // twice: harmless
    await realSleep(30);
    expect(fired).toBe(true);
    clock.stop();
  });

  it("never jumps to a poll when nothing happened since it was set", async () => {
    const clock = clockOf(world());
    const t0 = clock.now();
    let pollSawMs = -1;
    clock.setTimeout(() => {}, 60_000); // the next thing that happens
    clock.setTimeout(
      () => {
        pollSawMs = clock.now() - t0;
      },
      20,
      { poll: true },
    );
    await clock.sleep(60_000);
    // the poll fired once time passed it, at the jump's landing: nothing it looks at could have changed at 20 ms
    expect(pollSawMs).toBeGreaterThanOrEqual(60_000);
    clock.stop();
  });

  it("visits a poll set before something happened, at its own due time", async () => {
    const w = world();
    const clock = clockOf(w);
    const t0 = clock.now();
    let pollSawMs = -1;
    clock.setTimeout(() => {}, 60_000);
    clock.setTimeout(
      () => {
        pollSawMs = clock.now() - t0;
      },
      5_000,
      { poll: true },
    );
    // at 1 s a timer runs and bytes move: what the poll looks at may have changed
    clock.setTimeout(() => w.activity++, 1_000);
    await clock.sleep(60_000);
    expect(pollSawMs).toBeGreaterThanOrEqual(5_000);
    expect(pollSawMs).toBeLessThan(5_001);
    clock.stop();
  });

  it("waits for a lone poll in real time (no jump)", async () => {
    const clock = clockOf(world());
    const startReal = performance.now();
    await clock.sleep(40, { poll: true });
    expect(performance.now() - startReal).toBeGreaterThanOrEqual(39);
    expect(clock.stats().jumps).toBe(0);
    clock.stop();
  });

  it("drives MQTT.js's keepalive timer (timerVariant) on fixed multiples across jumps", async () => {
    const clock = clockOf(world());
    const variant = mqttTimerVariant(clock);
    const t0 = clock.now();
    const at: number[] = [];
    const id = variant.set(() => at.push(Math.round(clock.now() - t0)), 30_000);
    await clock.sleep(100_000);
    variant.clear(id);
    await clock.sleep(100_000);
    // each at its fixed multiple, plus the real time between reading t0 and setting it and the event loop's
    // latency after the jump (+4 ms on all three once in a CI run with five test workers)
    expect(at).toHaveLength(3);
    at.forEach((t, k) => {
      expect(t - (k + 1) * 30_000).toBeGreaterThanOrEqual(0);
      expect(t - (k + 1) * 30_000).toBeLessThan(50);
    });
    clock.stop();
  });

  it("cancels cleared timers, and stop() clears every timer", async () => {
    const clock = clockOf(world());
    let fired = 0;
    const t = clock.setTimeout(() => fired++, 1000);
    clock.clear(t);
    clock.setTimeout(() => fired++, 2000);
    await clock.sleep(3000);
    expect(fired).toBe(1);
    clock.setTimeout(() => fired++, 1000);
    clock.stop();
    await realSleep(20);
    expect(fired).toBe(1);
  });
});
