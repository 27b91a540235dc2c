import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Broker, startBroker, type TraceEvent } from "../../../src/broker/index.js";
import { type IdleSession, startIdleSession } from "../../../src/clients/real/idle-session.js";
import { type Clock, scaledClock } from "../../../src/core/clock.js";
import { type Nanomq, nanomqAvailable, startNanomq } from "../../helpers/nanomq.js";
import { realLibraryAvailable } from "../../helpers/real-clients.js";

/**
 * The write-up's "MQTT-C sends heartbeats late", with the real MQTT-C 1.1.6 against the real NanoMQ 0.25.3 and the
 * embedded nanomq profile at once (Q 1 s, M 1.25, keepalive 3, idle). NanoMQ kicks a connection silent for
 * ⌊KA·M/Q⌋ + 1 = 4 ticks; its ticks come 1.5 s after CONNECT, then every 1 s, so silent from its CONNECT it is kicked
 * at 5.5 s. MQTT-C synced every 1.5 s first pings at 6.0 s: kicked at 5.5 s, and it finds out at its 6.0 s sync.
 * Synced every 100 ms it pings every KA + 1 = 4 s (the first within 4.1 s) and survives, here for 30 s.
 */
const KEEPALIVE_S = 3;
const SURVIVE_MS = 30_000;
const clock: Clock = scaledClock(1);

function run(host: string, port: number, clientId: string, loopIntervalMs: number): Promise<IdleSession> {
  return startIdleSession(clock, "mqtt-c", { host, port, clientId, keepaliveS: KEEPALIVE_S, loopIntervalMs });
}

const here = nanomqAvailable("0.25.3") && (await realLibraryAvailable("mqtt-c"));

describe.runIf(here)("the real MQTT-C 1.1.6, keepalive 3, on NanoMQ's Q 1 s, M 1.25", () => {
  let nanomq: Nanomq;
  let embedded: Broker;
  const trace: TraceEvent[] = [];
  const runs = new Map<string, IdleSession>();

  beforeAll(async () => {
    [nanomq, embedded] = await Promise.all([
      startNanomq("0.25.3", { retryIntervalS: 1, multiplier: 1.25, level: "info" }),
      startBroker({ port: 0, clock, profile: "nanomq", retryIntervalMs: 1000, keepaliveMultiplier: 1.25 }),
    ]);
    embedded.on("trace", (e) => trace.push(e));
    for (const [where, host, port] of [
      ["real", nanomq.host, nanomq.port],
      ["embedded", embedded.host, embedded.port],
    ] as const)
      for (const loop of [1500, 100])
        runs.set(`${where} ${loop}`, await run(host, port, `mqtt-c-${where}-${loop}`, loop));
  });
  afterAll(async () => {
    await Promise.all([...runs.values()].map((r) => r.stop()));
    await Promise.all([nanomq?.stop(), embedded?.close()]);
  });

  const get = (key: string): IdleSession => {
    const r = runs.get(key);
    if (!r) throw new Error(`no run ${key}`);
    return r;
  };

  it("synced every 1.5 s: the real NanoMQ kicks it, naming it in its pipe close line (0x8d)", async () => {
    const r = get("real 1500");
    const ended = await r.done;
    expect(r.library).toEqual({ id: "mqtt-c", version: "1.1.6", real: true });
    expect(ended.exit.lost).toBe("MQTT_ERROR_SOCKET_ERROR");
    // kicked at 5.5 s, noticed at the 6.0 s sync (loaded machine: up to 1.5 s more)
    expect(ended.afterMs).toBeGreaterThan(5000);
    expect(ended.afterMs).toBeLessThan(7500);
    const close = await nanomq.waitForLog(
      new RegExp(`${r.clientId} pipe close! pipe=(\\d+) reason_code=0x8d`),
      5000,
    );
    const pipe = /pipe=(\d+)/.exec(close)?.[1];
    expect(nanomq.logSinceReady()).toContain(`close pipe ${pipe} & kick client due to KeepAlive timeout!`);
  });

  it("synced every 1.5 s: the embedded profile kicks it 5.5 s after its CONNECT, with the same line", async () => {
    const r = get("embedded 1500");
    const ended = await r.done;
    expect(ended.exit.lost).toBe("MQTT_ERROR_SOCKET_ERROR");
    const connect = trace.find((e) => e.type === "connect" && e.clientId === r.clientId);
    const kick = trace.find((e) => e.type === "kick" && e.clientId === r.clientId);
    expect(kick && connect ? kick.at - connect.at : null).toBeGreaterThanOrEqual(5450);
    expect(kick && connect ? kick.at - connect.at : null).toBeLessThan(5900);
    expect(embedded.logLines().filter((l) => l.signature === "keepalive-timeout")).toHaveLength(1);
    expect(ended.afterMs).toBeLessThan(7500);
  });

  it(
    `synced every 100 ms: neither kicks it in ${SURVIVE_MS / 1000} s`,
    async () => {
      const [real, emb] = [get("real 100"), get("embedded 100")];
      await clock.sleep(SURVIVE_MS - (clock.now() - Math.min(real.startedAt, emb.startedAt)));
      expect(real.ended()).toBeNull();
      expect(emb.ended()).toBeNull();
      expect(nanomq.logSinceReady()).not.toMatch(new RegExp(`${real.clientId} pipe close!`));
      expect(trace.filter((e) => e.type === "kick" && e.clientId === emb.clientId)).toEqual([]);
      // it pinged all along: 30 s / 4 s
      expect(
        trace.filter((e) => e.type === "packet-in" && e.packet === "pingreq" && e.clientId === emb.clientId)
          .length,
      ).toBeGreaterThanOrEqual(6);
    },
    SURVIVE_MS + 10_000,
  );
});
