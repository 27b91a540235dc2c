import { describe, expect, it } from "vitest";
import { manualClock } from "../../../src/core/clock.js";
import { prng } from "../../../src/core/prng.js";
import { OneWay } from "../../../src/link/one-way.js";
import type { Direction, LinkEvent, LinkFault } from "../../../src/link/types.js";
import { wayFaults } from "../../../src/link/way-faults.js";

const PINGREQ = Buffer.from([0xc0, 0]);
const PINGRESP = Buffer.from([0xd0, 0]);
const PUBLISH = Buffer.from([0x30, 0x04, 0, 1, 0x61, 0x7a]);

/** A way on a manual clock, its output as a list of what left and when. */
function way(faults: LinkFault[], direction: Direction = "to-client") {
  const clock = manualClock();
  const events: LinkEvent[] = [];
  const out: [number, string][] = [];
  const w = new OneWay(
    { clock, startAt: 0, conn: 1, rand: prng(1), event: (e) => events.push({ at: clock.now(), ...e }) },
    direction,
    wayFaults({ faults }, direction),
  );
  w.attach({
    write: (b) => out.push([clock.now(), b.toString("hex")]),
    end: () => out.push([clock.now(), "FIN"]),
    reset: () => out.push([clock.now(), "RST"]),
  });
  return { clock, w, out, events };
}

describe("OneWay on a manual clock", () => {
  it("no faults: straight through, no timer", () => {
    const { clock, w, out } = way([]);
    w.push(PINGRESP);
    w.pushEnd();
    expect(out).toEqual([
      [0, "d000"],
      [0, "FIN"],
    ]);
    expect(clock.pending()).toBe(0);
  });

  it("a stall holds data and FIN, then flushes them in order at its end", () => {
    const { clock, w, out } = way([{ kind: "stall", atMs: 1000, forMs: 3000 }]);
    clock.advanceTo(1500);
    w.push(PINGRESP);
    w.push(PUBLISH);
    w.pushEnd();
    clock.advanceTo(3999);
    expect(out).toEqual([]);
    clock.advanceTo(4000);
    expect(out).toEqual([
      [4000, "d000"],
      [4000, PUBLISH.toString("hex")],
      [4000, "FIN"],
    ]);
  });

  it("strand: what lived through the stall is held for good, with no timer left", () => {
    const { clock, w, out } = way([{ kind: "stall", atMs: 1000, forMs: 1000, release: "strand" }]);
    clock.advanceTo(1500);
    w.push(PINGRESP);
    clock.advanceTo(10_000);
    w.pushReset();
    clock.advanceTo(20_000);
    expect(out).toEqual([]);
    expect(clock.pending()).toBe(0);
  });

  it("drop PINGRESP: only PINGRESPs vanish, the rest passes whole", () => {
    const { w, out, events } = way([{ kind: "drop", packet: "pingresp" }]);
    w.push(Buffer.concat([PINGRESP, PUBLISH.subarray(0, 3)]));
    w.push(Buffer.concat([PUBLISH.subarray(3), PINGRESP]));
    expect(out.map((o) => o[1])).toEqual([PUBLISH.toString("hex")]);
    expect(events.map((e) => [e.kind, e.packet])).toEqual([
      ["dropped", "pingresp"],
      ["dropped", "pingresp"],
    ]);
  });

  it("drop PINGREQ acts towards the broker only", () => {
    const toClient = way([{ kind: "drop", packet: "pingreq" }]);
    toClient.w.push(PINGREQ);
    expect(toClient.out).toHaveLength(1);
    const toBroker = way([{ kind: "drop", packet: "pingreq" }], "to-broker");
    toBroker.w.push(PINGREQ);
    expect(toBroker.out).toHaveLength(0);
  });

  it("delay PINGRESP by 2 s: it and what follows leave 2 s later, in order", () => {
    const { clock, w, out } = way([{ kind: "delay", packet: "pingresp", delayMs: 2000 }]);
    w.push(PUBLISH);
    w.push(PINGRESP);
    clock.advanceTo(100);
    w.push(PUBLISH);
    clock.advanceTo(5000);
    expect(out).toEqual([
      [0, PUBLISH.toString("hex")],
      [2000, "d000"],
      [2000, PUBLISH.toString("hex")],
    ]);
  });

  it("nothing leaves before the far side is attached; stop clears the timer", () => {
    const clock = manualClock();
    const w = new OneWay(
      { clock, startAt: 0, conn: 1, rand: prng(1), event: () => {} },
      "to-broker",
      wayFaults({ faults: [{ kind: "latency", latencyMs: 100 }] }, "to-broker"),
    );
    w.push(PINGREQ);
    expect(clock.pending()).toBe(1);
    w.stop();
    expect(clock.pending()).toBe(0);
  });
});
