import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Conversation, gzip, merged, pcapFile } from "../helpers/capture-writer.js";
import { runCli, spawnCli } from "../helpers/cli.js";

const T0 = 1_765_000_000_000;
const B = { addr: "10.1.0.10", port: 1883 };
const shippedConf = fileURLToPath(new URL("../fixtures/conf/nanomq-shipped.conf", import.meta.url));

/** A healthy client that disconnects, and one silent past its keepalive 2 that the broker closes 10.5 s later. */
function capture(): Buffer {
  const healthy = new Conversation({ addr: "10.1.0.20", port: 40001 }, B).handshake(T0);
  healthy.mqtt("client", T0 + 1, {
    cmd: "connect",
    clientId: "good",
    keepalive: 5,
    protocolVersion: 4,
    clean: true,
    protocolId: "MQTT",
  });
  healthy.mqtt("broker", T0 + 2, { cmd: "connack", returnCode: 0, sessionPresent: false });
  healthy.mqtt("client", T0 + 3000, { cmd: "disconnect" });
  healthy.fin("client", T0 + 3001).fin("broker", T0 + 3002);
  const silent = new Conversation({ addr: "10.1.0.21", port: 40002 }, B).handshake(T0 + 10);
  silent.mqtt("client", T0 + 11, {
    cmd: "connect",
    clientId: "silent",
    keepalive: 2,
    protocolVersion: 4,
    clean: true,
    protocolId: "MQTT",
  });
  silent.mqtt("broker", T0 + 12, { cmd: "connack", returnCode: 0, sessionPresent: false });
  silent.fin("broker", T0 + 11 + 25_000); // NanoMQ Q 10 s, M 1.25, KA 2, silent from CONNECT: 25 s
  return pcapFile(merged(healthy, silent));
}

let dir: string;
let file: string;
let healthyOnly: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "mqdiag-capture-"));
  file = join(dir, "kicks.pcap.gz");
  await writeFile(file, gzip(capture()));
  const h = new Conversation({ addr: "10.1.0.20", port: 40001 }, B).handshake(T0);
  h.mqtt("client", T0 + 1, {
    cmd: "connect",
    clientId: "good",
    keepalive: 5,
    protocolVersion: 4,
    clean: true,
    protocolId: "MQTT",
  });
  healthyOnly = join(dir, "healthy.pcap");
  await writeFile(healthyOnly, pcapFile(h.packets));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface CaptureJson {
  schema: string;
  connections: {
    clientId: string | null;
    keepalive: number | null;
    ending: string;
    cause: string;
    kick: { timing: string } | null;
    vantage: { point: string };
    evidence: { time: string; packet: number; code: string; what: string }[];
  }[];
}

describe("mqdiag capture", () => {
  it("JSON: mqdiag.capture/v1, a verdict per connection; a kick is a finding (exit 1)", async () => {
    const r = await runCli(["capture", file, "--format", "json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as CaptureJson;
    expect(doc.schema).toBe("mqdiag.capture/v1");
    expect(doc.connections.map((c) => [c.clientId, c.ending, c.cause, c.kick?.timing ?? null])).toEqual([
      ["good", "client-disconnect", "none", null],
      ["silent", "kicked", "client-late", "on-time"],
    ]);
    const close = doc.connections[1]?.evidence.find((e) => e.code === "close");
    expect(close?.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(close?.packet).toBeGreaterThan(0);
  });

  it("--config takes Q and M from a nanomq.conf; with --retry-interval too it is one line, exit 2", async () => {
    const ok = await runCli(["capture", file, "--format", "json", "--config", shippedConf]);
    expect((JSON.parse(ok.stdout) as CaptureJson).connections[1]?.kick?.timing).toBe("on-time");
    const bad = await runCli(["capture", file, "--config", shippedConf, "--retry-interval", "1s"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    expect(bad.stderr).toMatch(/--retry-interval/);
  });

  it("the same kick judged by the spec profile is late (1.5 × 2 s = 3 s)", async () => {
    const r = await runCli(["capture", file, "--format", "json", "--profile", "spec"]);
    expect((JSON.parse(r.stdout) as CaptureJson).connections[1]?.kick?.timing).toBe("late");
  });

  it("table: one row per connection and the kicked connection's evidence; JUnit: one testcase each", async () => {
    const t = await runCli(["capture", file]);
    expect(t.stdout).toMatch(/silent .*kicked .*client-late/s);
    expect(t.stdout).toMatch(/client silent 25\.0\d\d s before the close/);
    const j = await runCli(["capture", file, "--format", "junit"]);
    expect(j.stdout.match(/<testcase /g)).toHaveLength(2);
    expect(j.stdout.match(/<failure /g)).toHaveLength(1);
  });

  it("no finding: exit 0; stdin with -", async () => {
    const cli = spawnCli(["capture", "-", "--format", "json"]);
    cli.child.stdin.end(pcapFile(new Conversation({ addr: "10.0.0.2", port: 1 }, B).handshake(T0).packets));
    expect(await cli.exited).toBe(0);
    expect((await runCli(["capture", healthyOnly])).code).toBe(0);
  });

  it.each([
    [["capture", "/nonexistent/x.pcap"], /no such file/],
    [["capture", shippedConf], /not a capture/],
    [["capture", "PLACEHOLDER-truncated"], /truncated pcap/],
    [["capture", "PLACEHOLDER-healthy", "--port", "99999"], /--port/],
  ])("bad input %j: one line on stderr, exit 2", async (args, message) => {
    let argv = args;
    if (args[1] === "PLACEHOLDER-truncated") {
      const cut = join(dir, "cut.pcap");
      await writeFile(cut, capture().subarray(0, 200));
      argv = ["capture", cut];
    }
    if (args[1] === "PLACEHOLDER-healthy") argv = ["capture", healthyOnly, ...args.slice(2)];
    const r = await runCli(argv);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });
});
