import { describe, expect, it } from "vitest";
import type { TraceEvent } from "../../../src/broker/index.js";
import { broker, clockAt, pingRtt, rawClient, relay, until } from "./helpers.js";

/**
 * Faults through the relay against the embedded broker (nanomq profile), on a ×2 clock; tolerances in clock ms
 * (150 = 75 real ms: a loaded 2-core machine). Faults start ≥ 1 s (0.5 real s) after the link, once connected.
 */
const SCALE = 2;
const LAG_MS = 150;

function traced(b: Awaited<ReturnType<typeof broker>>): TraceEvent[] {
  const trace: TraceEvent[] = [];
  b.on("trace", (e) => trace.push(e));
  return trace;
}

describe("faults through the relay", () => {
  it("bandwidth 4 KB/s each way: a 2 KB PUBLISH to oneself takes ≥ 1 s (0.5 s each way)", async () => {
    const clock = clockAt(SCALE);
    const b = await broker(clock);
    const r = await relay(clock, b, { faults: [{ kind: "bandwidth", bytesPerSecond: 4000 }] });
    const c = await rawClient(clock, r, "link-bw-1");
    c.send({ cmd: "subscribe", messageId: 1, subscriptions: [{ topic: "bw", qos: 0 }] });
    await c.waitFor("suback", 10_000);
    const sent = clock.now();
    c.send({ cmd: "publish", topic: "bw", payload: Buffer.alloc(2000), qos: 0, retain: false, dup: false });
    expect(await c.waitFor("publish", 10_000)).not.toBeNull();
    const took = clock.now() - sent;
    // 2007 bytes each way at 4000 B/s
    expect(took).toBeGreaterThanOrEqual(1003);
    expect(took).toBeLessThanOrEqual(1003 + LAG_MS);
  });

  it("reset: the client sees an RST and the broker logs a peer gone (Connection shutdown, rv 139)", async () => {
    const clock = clockAt(SCALE);
    const b = await broker(clock);
    const trace = traced(b);
    const r = await relay(clock, b, { faults: [{ kind: "reset", atMs: 1000 }] });
    const c = await rawClient(clock, r, "link-reset-1");
    expect(await c.waitClosed(5000)).toBe(true);
    expect(c.record).toMatchObject({ closedBy: "broker", closeKind: "RST" });
    expect((c.record.closedAt ?? 0) - r.startedAt).toBeGreaterThanOrEqual(1000);
    expect((c.record.closedAt ?? 0) - r.startedAt).toBeLessThanOrEqual(1000 + LAG_MS);
    await until(() => trace.some((e) => e.type === "close"), 2000, "the broker's close");
    expect(trace.find((e) => e.type === "close")).toMatchObject({
      clientId: "link-reset-1",
      cause: "peer-reset",
    });
    await until(() => b.logLines().some((l) => l.signature === "parse-error"), 2000, "rv 139");
    const ids = b.logLines().map((l) => l.signature);
    expect(ids.indexOf("recv-error")).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf("recv-error")).toBeLessThan(ids.indexOf("parse-error"));
    expect(ids).not.toContain("keepalive-timeout");
    expect(b.logLines().find((l) => l.signature === "recv-error")?.line).toContain(
      "nni aio recv error!! Connection shutdown",
    );
    expect(r.events().map((e) => [e.kind, e.direction])).toContainEqual(["reset", "to-broker"]);
  });

  it("reset towards the broker only: the client notices at its next packet (answered with an RST)", async () => {
    const clock = clockAt(SCALE);
    const b = await broker(clock);
    const trace = traced(b);
    const r = await relay(clock, b, { faults: [{ kind: "reset", atMs: 1000, direction: "to-broker" }] });
    const c = await rawClient(clock, r, "link-reset-2");
    await until(() => trace.some((e) => e.type === "close"), 3000, "the broker's close");
    expect(trace.find((e) => e.type === "close")).toMatchObject({ cause: "peer-reset" });
    expect(c.isOpen).toBe(true);
    c.send({ cmd: "pingreq" });
    expect(await c.waitClosed(3000)).toBe(true);
    expect(c.record).toMatchObject({ closedBy: "broker", closeKind: "RST" });
  });

  it("slow close: the client's FIN reaches the broker 2 s later", async () => {
    const clock = clockAt(SCALE);
    const b = await broker(clock);
    const trace = traced(b);
    const r = await relay(clock, b, { faults: [{ kind: "slow-close", delayMs: 2000 }] });
    const c = await rawClient(clock, r, "link-slow-close-1");
    const finAt = clock.now();
    c.end();
    await until(() => trace.some((e) => e.type === "close"), 5000, "the broker's close");
    const close = trace.find((e) => e.type === "close");
    expect(close).toMatchObject({ cause: "peer-closed" });
    expect((close?.at ?? 0) - finAt).toBeGreaterThanOrEqual(2000);
    expect((close?.at ?? 0) - finAt).toBeLessThanOrEqual(2000 + LAG_MS);
  });

  it("stall with flush: nothing passes during it, a new connection waits for its end, then all arrives in order", async () => {
    const clock = clockAt(SCALE);
    const b = await broker(clock);
    const trace = traced(b);
    const r = await relay(clock, b, { faults: [{ kind: "stall", atMs: 1000, forMs: 3000 }] });
    const c = await rawClient(clock, r, "link-stall-1");
    await clock.sleep(1500 - (clock.now() - r.startedAt));
    const sentAt = clock.now();
    const rtt = pingRtt(clock, c);
    const late = rawClient(clock, r, "link-stall-2");
    await clock.sleep(1000);
    expect(trace.filter((e) => e.type === "packet-in" && e.packet === "pingreq")).toEqual([]);
    expect(trace.filter((e) => e.type === "connect").map((e) => e.type === "connect" && e.clientId)).toEqual([
      "link-stall-1",
    ]);
    // the PINGREQ sent during the stall waits for its end at 4 s, and so does the second client's CONNECT
    const answeredAt = sentAt + (await rtt) - r.startedAt;
    expect(answeredAt).toBeGreaterThanOrEqual(4000);
    expect(answeredAt).toBeLessThanOrEqual(4000 + LAG_MS);
    const second = await late;
    expect((second.record.connectedAt ?? 0) - r.startedAt).toBeGreaterThanOrEqual(4000);
    expect(r.events().map((e) => e.kind)).toEqual(
      expect.arrayContaining(["stall-start", "stall-end", "dialed", "accepted"]),
    );
  });

  it("stall with strand: the connection that lived through it stays dead, a new one passes", async () => {
    const clock = clockAt(SCALE);
    const b = await broker(clock);
    const trace = traced(b);
    const r = await relay(clock, b, {
      faults: [{ kind: "stall", atMs: 500, forMs: 1000, release: "strand" }],
    });
    const old = await rawClient(clock, r, "link-strand-1");
    await clock.sleep(2000 - (clock.now() - r.startedAt));
    old.send({ cmd: "pingreq" });
    expect(await old.waitFor("pingresp", 1000)).toBeNull();
    expect(trace.filter((e) => e.type === "packet-in" && e.packet === "pingreq")).toEqual([]);
    const fresh = await rawClient(clock, r, "link-strand-2");
    expect(await pingRtt(clock, fresh)).toBeLessThan(LAG_MS);
    expect(r.events()).toContainEqual(expect.objectContaining({ conn: 1, kind: "stranded" }));
  });

  it("a stall for good: the broker's keepalive kicks the client, and the client never hears of it", async () => {
    // ×2 like the others: at ×20 the 75 real ms a loaded machine may add became 1.5 clock s (seen: kick 231 ms late)
    const clock = clockAt(SCALE);
    const b = await broker(clock, { retryIntervalMs: 1000 });
    const trace = traced(b);
    const r = await relay(clock, b, { faults: [{ kind: "stall", atMs: 4000, forMs: null }] });
    const c = await rawClient(clock, r, "link-stall-forever-1", 2);
    await until(() => trace.some((e) => e.type === "kick"), 10_000, "the kick");
    // NanoMQ, Q 1 s, M 1.25, keepalive 2, silent since CONNECT: kicked 1.5 + 3 = 4.5 s after it
    const kick = trace.find((e) => e.type === "kick");
    const connect = trace.find((e) => e.type === "connect");
    expect((kick?.at ?? 0) - (connect?.at ?? 0)).toBeGreaterThanOrEqual(4500);
    expect((kick?.at ?? 0) - (connect?.at ?? 0)).toBeLessThanOrEqual(4500 + LAG_MS);
    await clock.sleep(1000);
    expect(c.isOpen).toBe(true);
    expect(c.record.closedAt).toBeNull();
  });

  it("stop: every socket and timer of the relay is gone, and the broker counts no connection", async () => {
    const clock = clockAt(SCALE);
    const b = await broker(clock);
    const resources = () => process.getActiveResourcesInfo().filter((x) => x !== "TTYWrap");
    const before = resources().length;
    const r = await relay(clock, b, {
      faults: [
        { kind: "latency", latencyMs: 200 },
        { kind: "stall", atMs: 1000, forMs: 60_000 },
        { kind: "reset", atMs: 50_000 },
      ],
    });
    const clients = await Promise.all([1, 2, 3].map((i) => rawClient(clock, r, `link-stop-${i}`)));
    await clock.sleep(1100 - (clock.now() - r.startedAt));
    for (const c of clients) c.send({ cmd: "pingreq" });
    const pending = rawClient(clock, r, "link-stop-held").catch(() => undefined);
    await clock.sleep(300);
    expect(b.stats().connections).toBe(3);
    await r.stop();
    await until(() => b.stats().connections === 0, 2000, "the broker to count no connection");
    for (const c of clients) c.destroy();
    await pending;
    await until(() => resources().length <= before, 2000, "the relay's sockets and timers to go");
    expect(r.openConnections()).toBe(0);
  });
});
