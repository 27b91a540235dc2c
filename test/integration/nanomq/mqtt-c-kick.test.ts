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
 *
 * Survives by tick phase: MQTT-C pings on whole seconds (time(NULL)), sent at the sync after one, so 0.1–0.2 s past
 * it (measured at the embedded broker: 0.105–0.26 s), ~4.007 s apart; NanoMQ kicks at the 5th tick after a ping
 * unless the next one came first, so a client whose pings come just BEFORE the ticks is kicked as soon as a gap
 * is a little long. The ticks' phase is the CONNECT's (+ 0.5 s): started at random, 1 of 20 such clients was
 * kicked by the real 0.25.3 and 1 of 20 by the profile (both at 7.5–7.7 s, their CONNECT 0.5–0.7 s past a second);
 * the profile once kicked 6 of 20 within 48 s (2 within 30 s) because a ping read before a late timer ran was
 * counted before that tick (fixed: src/broker/keepalive/pipe-tick.ts). So the 100 ms clients start together
 * `PHASE_MS` past a whole second: CONNECT at 0.2–0.35 s, ticks at 0.7–0.85 s, half a second after the pings — a
 * ping would have to be ~0.5 s late for either broker to kick. The CONNECT's phase is checked (on the profile).
 */
const KEEPALIVE_S = 3;
/** Where in the wall-clock second the 100 ms clients are started (see above). */
const PHASE_MS = 200;
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
    const targets = [
      ["real", nanomq.host, nanomq.port],
      ["embedded", embedded.host, embedded.port],
    ] as const;
    for (const [where, host, port] of targets)
      runs.set(`${where} 1500`, await run(host, port, `mqtt-c-${where}-1500`, 1500));
    // the 100 ms ones together, PHASE_MS past a whole second of the wall clock (MQTT-C's time(NULL))
    await new Promise((r) => setTimeout(r, 1000 + PHASE_MS - (Date.now() % 1000)));
    await Promise.all(
      targets.map(async ([where, host, port]) =>
        runs.set(`${where} 100`, await run(host, port, `mqtt-c-${where}-100`, 100)),
      ),
    );
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
      // the phase the survival rests on: its CONNECT 0.1–0.6 s past a whole second, the ticks 0.6–1.1 s
      const connect = trace.find((e) => e.type === "connect" && e.clientId === emb.clientId);
      const phase = connect ? clock.wallTime(connect.at) % 1000 : -1;
      expect(phase).toBeGreaterThanOrEqual(100);
      expect(phase).toBeLessThan(600);
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
