import { describe, expect, it } from "vitest";
import { manualClock, mqttTimerVariant, scaledClock } from "../../src/core/clock.js";

describe("manualClock", () => {
  it("runs timeouts and intervals in time order as time advances", () => {
    const clock = manualClock();
    const seen: string[] = [];
    clock.setTimeout(() => seen.push(`t@${clock.now()}`), 250);
    const every = clock.setInterval(() => seen.push(`i@${clock.now()}`), 100);
    clock.advance(320);
    expect(seen).toEqual(["i@100", "i@200", "t@250", "i@300"]);
    clock.clear(every);
    clock.advance(1000);
    expect(seen).toHaveLength(4);
    expect(clock.now()).toBe(1320);
  });

  it("feeds MQTT.js a repeating timer through timerVariant", () => {
    const clock = manualClock();
    const variant = mqttTimerVariant(clock);
    let ticks = 0;
    const handle = variant.set(() => ticks++, 5000);
    clock.advance(15_000);
    variant.clear(handle);
    clock.advance(15_000);
    expect(ticks).toBe(3);
  });
});

describe("scaledClock", () => {
  it("passes clock time `scale` times faster than real time", async () => {
    const clock = scaledClock(100);
    const startReal = performance.now();
    await clock.sleep(5_000); // 5 clock seconds = 50 real ms at 100×
    const realMs = performance.now() - startReal;
    expect(clock.now()).toBeGreaterThanOrEqual(5_000);
    expect(realMs).toBeLessThan(1_000);
    expect(realMs).toBeGreaterThanOrEqual(45);
  });

  it("rejects a scale that is not a positive number", () => {
    expect(() => scaledClock(0)).toThrow(RangeError);
    expect(() => scaledClock(Number.NaN)).toThrow(RangeError);
  });
});

describe("scaledClock timers", () => {
  it("never fire before their due clock time, even at a high scale", async () => {
    const clock = scaledClock(50);
    const lateness: number[] = [];
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => {
        const dueAt = clock.now() + 100 + i * 37;
        return new Promise<void>((resolve) =>
          clock.setTimeout(() => {
            lateness.push(clock.now() - dueAt);
            resolve();
          }, dueAt - clock.now()),
        );
      }),
    );
    expect(Math.min(...lateness)).toBeGreaterThanOrEqual(0);
  });

  it("keeps an interval on its fixed schedule and stops it when cleared", async () => {
    const clock = scaledClock(10);
    const start = clock.now();
    const at: number[] = [];
    const handle = clock.setInterval(() => at.push(clock.now() - start), 1000);
    await clock.sleep(5500);
    clock.clear(handle);
    const count = at.length;
    await clock.sleep(2000);
    expect(at.length).toBe(count);
    expect(count).toBe(5);
    at.forEach((t, i) => {
      expect(t).toBeGreaterThanOrEqual((i + 1) * 1000);
    });
  });
});
