import { mkdtemp, rm } from "node:fs/promises";
import type { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Broker, startBroker } from "../../../src/broker/index.js";
import { buildCaptureReport, type CaptureReport } from "../../../src/capture/capture-report.js";
import { readCapture } from "../../../src/capture/read-capture.js";
import { connectBytes, type RawClient, type RawEnd, rawConnect } from "../../helpers/raw-client.js";
import { startTcpdump, type Tcpdump, tcpdumpAvailable } from "../../helpers/tcpdump.js";
import { mqttjs, sleep } from "./mqttjs-client.js";

/**
 * Real captures: tcpdump on loopback (-i lo: Ethernet; -i any: Linux cooked v2) while the embedded broker (nanomq
 * profile, Q 1 s, M 1.25, real time) and real MQTT.js and raw-socket clients play six cases at once. What each
 * client saw, and the broker's own log, are the ground truth the verdicts must match.
 */

describe.runIf(tcpdumpAvailable())("mqdiag capture on real tcpdump captures of the embedded broker", () => {
  let dir: string;
  let broker: Broker;
  const captures: Tcpdump[] = [];
  const reports: Record<string, CaptureReport> = {};
  const seen: { silent?: RawEnd; malformed?: RawEnd; pingTimeout?: string } = {};

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "mqdiag-tcpdump-"));
    broker = await startBroker({
      port: 0,
      profile: "nanomq",
      retryIntervalMs: 1000,
      keepaliveMultiplier: 1.25,
    });
    broker.faults.withholdPingresp = (id) => id === "no-pingresp";
    const filter = `tcp port ${broker.port}`;
    // a TCP connection that sends nothing: not MQTT, so the capture does not report it
    const poke = async () => (await rawConnect(broker.port)).destroy();
    captures.push(await startTcpdump("lo", join(dir, "lo.pcap"), filter, { poke }));
    const extra = ["--time-stamp-precision=nano"];
    captures.push(await startTcpdump("any", join(dir, "any.pcap"), filter, { poke, extra }));
    const cases: Promise<void>[] = [];
    const raws: RawClient[] = [];
    // healthy: MQTT.js at keepalive 1 s pings every second for 4.5 s, then DISCONNECTs
    cases.push(
      (async () => {
        const c = await mqttjs(broker.url, "healthy", 1);
        await sleep(4500);
        await c.endAsync();
      })(),
    );
    // silent: CONNECT at keepalive 1 s, never a PINGREQ: NanoMQ's model kicks it 1.5 + 2 × 1 = 3.5 s after CONNECT
    cases.push(
      (async () => {
        const raw = await rawConnect(broker.port);
        raws.push(raw);
        raw.send(connectBytes({ clientId: "silent", keepalive: 1 }));
        seen.silent = await raw.waitForEnd(8000);
      })(),
    );
    // reset: MQTT.js, then a TCP RST
    cases.push(
      (async () => {
        const c = await mqttjs(broker.url, "resetter", 10);
        await sleep(500);
        (c.stream as Socket).resetAndDestroy();
        c.end(true);
      })(),
    );
    // takeover: MQTT.js "twin", then a raw CONNECT of the same id
    cases.push(
      (async () => {
        const first = await mqttjs(broker.url, "twin", 10);
        first.on("error", () => {});
        await sleep(700);
        const second = await rawConnect(broker.port);
        raws.push(second);
        second.send(connectBytes({ clientId: "twin", keepalive: 10 }));
        await sleep(1500);
        first.end(true);
        second.destroy();
      })(),
    );
    // malformed: a 5-byte remaining length after CONNECT
    cases.push(
      (async () => {
        const raw = await rawConnect(broker.port);
        raws.push(raw);
        raw.send(connectBytes({ clientId: "garbler", keepalive: 10 }));
        await raw.waitForBytes(4, 3000);
        await sleep(300);
        raw.send(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x7f]));
        seen.malformed = await raw.waitForEnd(3000);
      })(),
    );
    // no PINGRESP: MQTT.js pings after ~1 s and gives up ("Keepalive timeout") ~0.5 s later
    cases.push(
      (async () => {
        const c = await mqttjs(broker.url, "no-pingresp", 1);
        seen.pingTimeout = await new Promise<string>((resolve) => {
          c.once("error", (e) => resolve(e.message));
          c.once("close", () => resolve("closed"));
        });
        c.end(true);
      })(),
    );
    await Promise.all(cases);
    for (const r of raws) r.destroy();
    await sleep(300);
    for (const c of captures) await c.stop();
    const model = broker.profile;
    for (const c of captures) {
      const read = await readCapture(c.file, { ports: [], tlsPorts: [] });
      reports[c.file.endsWith("lo.pcap") ? "lo" : "any"] = buildCaptureReport(read, model, "profile-options");
    }
  }, 30_000);

  afterAll(async () => {
    for (const c of captures) await c.stop();
    await broker?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const verdict = (link: string, clientId: string) => {
    const found = reports[link]?.connections.filter((c) => c.timeline.connect?.clientId === clientId) ?? [];
    return found.map((c) => c.verdict);
  };

  it.each(["lo", "any"])("%s: every case has the verdict its clients and the broker's log show", (link) => {
    const report = reports[link] as CaptureReport;
    expect(report.read.format).toBe("pcap");
    // the CONNECT on a port not given with --port made it an MQTT port: all seven connections are read
    expect(report.connections).toHaveLength(7);
    expect(verdict(link, "healthy")).toMatchObject([{ ending: "client-disconnect", cause: "none" }]);

    expect(seen.silent?.kind).toBe("fin");
    expect(broker.logLines().some((l) => l.signature === "keepalive-timeout")).toBe(true);
    const [silent] = verdict(link, "silent");
    expect(silent).toMatchObject({ ending: "kicked", cause: "client-late" });
    // the model's instant, 3.5 s after CONNECT; the embedded broker's real timers may fire late under load
    const lateMs = (silent?.kick?.atMs ?? 0) - (silent?.kick?.earliestMs ?? 0);
    expect(lateMs).toBeGreaterThan(-50);
    expect(lateMs).toBeLessThan(1000);
    if (lateMs < 50) expect(silent?.kick?.timing).toBe("on-time");

    expect(verdict(link, "resetter")).toMatchObject([{ ending: "client-reset", cause: "none" }]);
    expect(verdict(link, "twin")).toMatchObject([
      { ending: "takeover", cause: "duplicate-client-id" },
      { cause: "none" },
    ]);
    expect(seen.malformed?.kind).not.toBe("open");
    expect(verdict(link, "garbler")).toMatchObject([{ ending: "malformed", cause: "malformed" }]);

    expect(seen.pingTimeout).toMatch(/Keepalive timeout/i);
    expect(verdict(link, "no-pingresp")).toMatchObject([{ cause: "pingresp-missing" }]);
    expect(["client-closed", "client-reset"]).toContain(verdict(link, "no-pingresp")[0]?.ending);

    for (const c of report.connections) {
      expect(c.verdict.vantage.vantage).toBe("same-host");
      expect(c.timeline.missed).toEqual([]);
    }
  });

  it("the same capture read by both link types gives the same verdicts", () => {
    const summary = (r: CaptureReport) =>
      r.connections
        .map((c) => `${c.timeline.connect?.clientId}:${c.verdict.ending}:${c.verdict.cause}`)
        .sort();
    expect(summary(reports.any as CaptureReport)).toEqual(summary(reports.lo as CaptureReport));
  });
});
