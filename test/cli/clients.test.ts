import { fileURLToPath } from "node:url";
import { describe, it } from "vitest";
import { CLIENT_LIBRARY_IDS } from "../../src/keepalive/clients/types.js";
import { runCli } from "../helpers/cli.js";

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/conf/${name}`, import.meta.url));

interface ClientsJson {
  schema: string;
  broker: { profile: string; retryIntervalS: number; keepaliveMultiplier: number; from: unknown };
  keepaliveS: number;
  latencyS: number;
  loopIntervalS: number;
  libraries: {
    library: string;
    pingGapS: number | null;
    givesUpAfterS: number | null;
    brokerKicksAfterS: number | null;
    firstToAct: string;
    marginS: number | null;
    source: string;
    runnableHere: boolean;
    dependsOnPhase: boolean;
    serverKeepAlive?: {
      handling: string;
      toldS: number | null;
      pingsWithS: number | null;
      brokerWatchesS: number | null;
    };
  }[];
}

async function json(args: string[]): Promise<{ code: number | null; doc: ClientsJson; stderr: string }> {
  const r = await runCli(["clients", ...args, "--format", "json"]);
  return { code: r.code, doc: JSON.parse(r.stdout) as ClientsJson, stderr: r.stderr };
}

// Each case spawns the CLI (~0.4 s): run them side by side.
describe.concurrent("mqdiag clients", () => {
  it("table: every library against the default NanoMQ profile at KA 60 survives; exit 0", async ({
    expect,
  }) => {
    const r = await runCli(["clients"]);
    expect(r.code).toBe(0);
    for (const id of CLIENT_LIBRARY_IDS) expect(r.stdout).toContain(id.slice(0, 7));
    expect(r.stdout).toContain("Every library shown survives");
    expect(r.stdout).toContain("model from source only");
    expect(r.stderr).toBe("");
  });

  it("JSON: mqdiag.clients/v1 with every library's fields; measured where a side-by-side test proves the model", async ({
    expect,
  }) => {
    const { code, doc } = await json([]);
    expect(code).toBe(0);
    expect(doc.schema).toBe("mqdiag.clients/v1");
    expect(doc).toMatchObject({ keepaliveS: 60, latencyS: 0, loopIntervalS: 0.1 });
    expect(doc.broker).toMatchObject({ profile: "nanomq", retryIntervalS: 10, keepaliveMultiplier: 1.25 });
    expect(doc.libraries.map((l) => l.library)).toEqual([...CLIENT_LIBRARY_IDS]);
    // test/integration/clients/side-by-side.test.ts runs these six for real beside their models
    const measured = ["mqttjs", "mqttjs-4", "mqtt-c", "paho-c", "paho-python", "libmosquitto"];
    for (const l of doc.libraries) {
      expect(l.source).toBe(measured.includes(l.library) ? "measured" : "model");
      expect(l.firstToAct).toBe("nobody");
      expect(l.brokerKicksAfterS).toBeNull();
      expect(typeof l.marginS).toBe("number");
    }
    const byId = new Map(doc.libraries.map((l) => [l.library, l]));
    expect(byId.get("mqttjs")).toMatchObject({ pingGapS: 60, givesUpAfterS: 30 });
    // 610 syncs of 100.175 ms (MQTT_C_LOOP_OVERRUN_MS)
    expect(byId.get("mqtt-c")).toMatchObject({ pingGapS: 61.007, givesUpAfterS: null });
    expect(byId.get("coremqtt")).toMatchObject({ pingGapS: 30, givesUpAfterS: 5.1, runnableHere: false });
  });

  it("--config (Q 1 s, M 1.25): MQTT-C at KA 3 synced every 1.5 s is kicked at 5.5 s; every 100 ms in ~9% of phases", async ({
    expect,
  }) => {
    const conf = fixture("q1-m125.conf");
    const slow = await json([
      "--config",
      conf,
      "--library",
      "mqtt-c",
      "--keepalive",
      "3",
      "--loop-interval",
      "1.5s",
    ]);
    expect(slow.code).toBe(1);
    expect(slow.doc.broker).toMatchObject({
      retryIntervalS: 1,
      keepaliveMultiplier: 1.25,
      from: { config: conf },
    });
    expect(slow.doc.libraries).toEqual([
      expect.objectContaining({
        library: "mqtt-c",
        pingGapS: 6.001,
        givesUpAfterS: null,
        brokerKicksAfterS: 5.5,
        firstToAct: "broker",
        // its first PINGREQ (6.0007 s) after the kick (5.5 s, or 5.51 s with the ticks NANOMQ_CONNECT_LAG_MS late)
        marginS: 0.491,
        dependsOnPhase: false,
      }),
    ]);
    // every 100 ms its PINGREQs slide through 0.1–0.2 s past each second (the loop runs slow: 4.007 s, or 3.907 s
    // at a second's edge): where the ticks fall there it is kicked, ~1 CONNECT phase in 10 (measured: 1 in 20 within
    // 30 s, test/integration/nanomq/mqtt-c-kick.test.ts), at its 2nd PINGREQ at the earliest
    const fast = await json(["--config", conf, "--library", "mqtt-c", "--keepalive", "3"]);
    expect(fast.code).toBe(1);
    expect(fast.doc.libraries[0]).toMatchObject({
      pingGapS: 4.007,
      firstToAct: "broker",
      dependsOnPhase: true,
      endsShare: 0.09,
      brokerKicksAfterS: 7.51,
    });
  });

  it("a library that gives up before its second PINGREQ pings once: the table and its line say when", async ({
    expect,
  }) => {
    const r = await runCli([
      "clients",
      "--library",
      "mqttjs,esp-mqtt",
      "--keepalive",
      "4",
      "--latency",
      "1.2s",
    ]);
    expect(r.code).toBe(1);
    const text = r.stdout.replace(/\s+/g, " ");
    expect(text).not.toContain("never pings");
    expect(text).not.toContain("no pings");
    // MQTT.js: its PINGREQ at KA + RTT = 6.4 s, given up on 2 s later; ESP-MQTT: KA/2 after its CONNACK, 4.4 s
    expect(text).toMatch(/│ mqttjs 5\.6–5\.16 +│ once, at 6\.4 s +│/);
    expect(text).toContain("pings once, at 6.4 s, and gives up before another");
    expect(text).toContain("pings once, at 4.4 s, and gives up before another");
  });

  it("--latency and --library (comma or space separated): MQTT.js gives up, ESP-MQTT too, past a KA/2 round trip", async ({
    expect,
  }) => {
    const { code, doc } = await json([
      "--library",
      "mqttjs,esp-mqtt",
      "paho-c",
      "--latency",
      "16s",
      "--keepalive-multiplier",
      "1.5",
    ]);
    expect(code).toBe(1);
    expect(doc.libraries.map((l) => [l.library, l.firstToAct])).toEqual([
      ["mqttjs", "client"],
      ["paho-c", "nobody"],
      ["esp-mqtt", "client"],
    ]);
  });

  it("--server-keepalive 10 (spec): the libraries that ignore it (Paho C, Paho Python) are kicked at 15 s; exit 1", async ({
    expect,
  }) => {
    const { code, doc } = await json(["--profile", "spec", "--server-keepalive", "10"]);
    expect(code).toBe(1);
    const byId = new Map(doc.libraries.map((l) => [l.library, l]));
    for (const id of ["paho-c", "paho-python"])
      expect(byId.get(id)).toMatchObject({
        firstToAct: "broker",
        brokerKicksAfterS: 15,
        serverKeepAlive: { handling: "ignores", toldS: 10, pingsWithS: 60, brokerWatchesS: 10 },
      });
    expect(byId.get("libmosquitto")).toMatchObject({
      firstToAct: "nobody",
      pingGapS: 10,
      serverKeepAlive: { handling: "honours", toldS: 10, pingsWithS: 10, brokerWatchesS: 10 },
    });
    // MQTT-C speaks 3.1.1 only: never told, it pings at its own 60 s and the broker watches 60 s
    expect(byId.get("mqtt-c")).toMatchObject({
      firstToAct: "nobody",
      serverKeepAlive: { handling: "mqtt311-only", toldS: null, brokerWatchesS: 60 },
    });
    const table = await runCli(["clients", "--profile", "spec", "--server-keepalive", "10", "--no-color"]);
    expect(table.stdout).toContain("the broker tells every MQTT 5 client keepalive 10 s (Server Keep Alive)");
    expect(table.stdout).toMatch(/Eclipse Paho C: told 10 s but IGNORES it: pings with its own 60 s/);
  });

  it("junit: one case per library, failing where the connection ends", async ({ expect }) => {
    const r = await runCli([
      "clients",
      "--profile",
      "spec",
      "--keepalive",
      "2",
      "--library",
      "mqtt-c",
      "mqttjs",
      "--format",
      "junit",
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('tests="2" failures="1"');
    expect(r.stdout).toMatch(
      /<testcase name="mqtt-c survives"[^>]*>\s*<failure message="MQTT-C 1\.1\.6: kicked by the broker/,
    );
  });

  it.for<[string[], RegExp]>([
    [["--library", "hivemq-client"], /^--library: unknown library "hivemq-client" \(choose mqttjs, /],
    [["--keepalive", "soon"], /^--keepalive: expected whole seconds/],
    [["--keepalive", "3,5"], /^--keepalive: expected whole seconds/],
    [["--latency", "fast"], /^--latency: expected a duration/],
    [["--loop-interval", "0"], /^--loop-interval: must be greater than 0/],
    [["--config", "/nonexistent/nanomq.conf"], /^config: \/nonexistent\/nanomq\.conf: no such file/],
    [["--config", fixture("q1-m125.conf"), "--retry-interval", "2s"], /^--retry-interval: not with --config/],
    [
      ["--config", fixture("q1-m125.conf"), "--profile", "mosquitto"],
      /^--config: a nanomq\.conf is NanoMQ's/,
    ],
    [["--format", "csv"], /^--format: expected table, json, junit/],
    [["--server-keepalive", "10"], /^--server-keepalive: the nanomq profile has no such setting/],
  ])("bad input %j: one line, exit 2", async ([args, message], { expect }) => {
    const r = await runCli(["clients", ...args]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(new RegExp(message.source.replace(/^\^/, "^(mqdiag: )?")));
  });

  it("--help lists the options and examples", async ({ expect }) => {
    const r = await runCli(["clients", "--help"]);
    expect(r.code).toBe(0);
    for (const opt of [
      "--config",
      "--keepalive",
      "--latency",
      "--loop-interval",
      "--library",
      "--retry-interval",
      "--format",
    ])
      expect(r.stdout).toContain(opt);
    expect(r.stdout).toContain("Examples:");
  });
});
