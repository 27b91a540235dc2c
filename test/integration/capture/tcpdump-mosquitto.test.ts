import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Mosquitto, mosquittoAvailable, startMosquitto } from "../../helpers/mosquitto.js";
import { tcpdumpAvailable } from "../../helpers/tcpdump.js";
import { captureFiveCases, type FiveCases } from "./five-cases.js";

/**
 * The real mosquitto 2.0 under tcpdump -i lo: `mqdiag capture --profile mosquitto --broker-log` on the capture
 * must give each case the verdict the clients saw, and join mosquitto's own lines (which name every client) to
 * the same connections.
 */
const runs = tcpdumpAvailable() && mosquittoAvailable();

describe.runIf(runs)("mqdiag capture on a real tcpdump capture of the real mosquitto, with its log", () => {
  let dir: string;
  let broker: Mosquitto;
  let cases: FiveCases;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "mqdiag-tcpdump-mosquitto-"));
    broker = await startMosquitto();
    // silent at keepalive 1: mosquitto kicks it in (1, 7] s (its sweep every ~6 s at whole seconds)
    cases = await captureFiveCases(dir, broker, ["--profile", "mosquitto", "--broker-log", broker.logPath]);
  }, 40_000);

  afterAll(async () => {
    await broker?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const of = (id: string) => cases.connections.filter((c) => c.clientId === id);

  it("each case's verdict, and mosquitto's lines joined by client id", () => {
    expect(cases.code).toBe(1);
    expect(of("healthy")).toMatchObject([{ ending: "client-disconnect", cause: "none" }]);
    expect(cases.silentEnd?.kind).toBe("fin");
    expect(of("silent")).toMatchObject([
      {
        ending: "kicked",
        cause: "client-late",
        kick: { timing: "on-time" },
        brokerLog: [{ kind: "keepalive-timeout", by: "client-id" }],
      },
    ]);
    expect(of("resetter")).toMatchObject([{ ending: "client-reset", cause: "none" }]);
    expect(of("resetter")[0]?.brokerLog).toMatchObject([{ kind: "peer-gone", by: "client-id" }]);
    expect(of("twin")[0]).toMatchObject({
      ending: "takeover",
      cause: "duplicate-client-id",
      brokerLog: [{ kind: "takeover", by: "client-id" }],
    });
    expect(of("garbler")).toMatchObject([{ ending: "malformed", cause: "malformed" }]);
  });
});
