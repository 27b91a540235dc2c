import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mqtt from "mqtt";
import mqttPacket from "mqtt-packet";
import { afterEach, describe, expect, it } from "vitest";
import { type CliProcess, runCli, spawnCli } from "../helpers/cli.js";

const children: ChildProcessWithoutNullStreams[] = [];
const dirs: string[] = [];
const sockets: net.Socket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface Running extends CliProcess {
  port: number;
}

async function startCli(args: string[]): Promise<Running> {
  const cli = spawnCli(["broker", "--port", "0", ...args]);
  children.push(cli.child);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line; stderr: ${cli.stderr()}`)), 15_000);
    cli.child.stderr.on("data", () => {
      const m = /^listening on (?:127\.0\.0\.1|\[::1\]):(\d+)$/m.exec(cli.stderr());
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
  });
  return { ...cli, port };
}

async function waitFor(predicate: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function connectAndLeave(port: number, clientId: string, host = "127.0.0.1"): Promise<void> {
  const c = mqtt.connect(`mqtt://${host.includes(":") ? `[${host}]` : host}:${port}`, {
    clientId,
    reconnectPeriod: 0,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      c.once("connect", () => resolve());
      c.once("error", reject);
    });
  } finally {
    await c.endAsync();
  }
}

describe("mqdiag broker", () => {
  it("listens on a free port, prints lines as a client comes and goes, exits 0 on SIGTERM", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mqdiag-broker-"));
    dirs.push(dir);
    const logFile = join(dir, "broker.log");
    const run = await startCli(["--log-file", logFile]);
    await connectAndLeave(run.port, "cli-client");
    await waitFor(() => run.stdout().includes("cli-client offline!"), "offline line");
    // WARN, as 0.25.3 prints it (so a `warn` log has it)
    expect(run.stdout()).toMatch(/\[\d+\] WARN .* cli-client online!\n/);
    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(0);
    expect(readFileSync(logFile, "utf8")).toContain("cli-client online!");
  });

  it("--json prints one parseable object a line", async () => {
    const run = await startCli(["--json", "--profile", "mosquitto"]);
    await connectAndLeave(run.port, "json-client");
    await waitFor(() => run.stdout().includes("json-client disconnected."), "disconnect line");
    const objects = run
      .stdout()
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(objects.map((o) => o.signature)).toEqual([
      "client-connected",
      "client-connected",
      "client-disconnect",
      "client-disconnect",
    ]);
    for (const o of objects)
      expect(Object.keys(o).sort()).toEqual(["clientId", "level", "line", "signature", "t"]);
    expect(objects[1]?.clientId).toBe("json-client");
    run.child.kill("SIGINT");
    expect(await run.exited).toBe(0);
  });

  it("a port already in use: one line naming the address and the error, exit 2", async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", () => resolve()));
    try {
      const port = (taken.address() as net.AddressInfo).port;
      const result = await runCli(["broker", "--port", String(port)], { timeoutMs: 10_000 });
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
      expect(result.stderr).toContain(`127.0.0.1:${port}: EADDRINUSE`);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it("--host ::1 listens on the IPv6 loopback and prints it bracketed (or refuses in one line without IPv6)", async () => {
    const v6 = await new Promise<boolean>((resolve) => {
      const probe = net.createServer();
      probe.once("error", () => resolve(false));
      probe.listen(0, "::1", () => probe.close(() => resolve(true)));
    });
    if (!v6) {
      const result = await runCli(["broker", "--host", "::1", "--port", "0"], { timeoutMs: 10_000 });
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
      return;
    }
    const run = await startCli(["--host", "::1"]);
    expect(run.stderr()).toMatch(/^listening on \[::1\]:\d+$/m);
    await connectAndLeave(run.port, "v6-client", "::1");
    await waitFor(() => run.stdout().includes("v6-client offline!"), "offline line");
    run.child.kill("SIGINT");
    expect(await run.exited).toBe(0);
  });

  it("--time-scale 10: a silent keepalive-2 client is kicked 25 broker seconds after CONNECT (NanoMQ's example)", async () => {
    const run = await startCli(["--time-scale", "10", "--json"]);
    const socket = net.connect(run.port, "127.0.0.1");
    sockets.push(socket);
    socket.on("error", () => {});
    socket.resume();
    socket.write(
      mqttPacket.generate({
        cmd: "connect",
        clientId: "scaled",
        protocolVersion: 4,
        clean: true,
        keepalive: 2,
      }),
    );
    const lines = () =>
      run
        .stdout()
        .trim()
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { t: number; signature: string | null });
    await waitFor(() => lines().some((l) => l.signature === "keepalive-timeout"), "the kick");
    const online = lines().find((l) => l.signature === "client-connected");
    const kick = lines().find((l) => l.signature === "keepalive-timeout");
    // Q = 10 s, M = 1.25, KA = 2: first tick 15 s, kicked at the tick after 2.5 s of silence → 25 s
    expect((kick?.t ?? 0) - (online?.t ?? 0)).toBeGreaterThan(24.5);
    expect((kick?.t ?? 0) - (online?.t ?? 0)).toBeLessThan(25.5);
    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(0);
  });

  it("--receive-maximum 2 (spec): the CONNACK says 2, and a third unreleased QoS 2 PUBLISH gets DISCONNECT 0x93", async () => {
    const run = await startCli(["--profile", "spec", "--receive-maximum", "2"]);
    const socket = net.connect(run.port, "127.0.0.1");
    sockets.push(socket);
    socket.on("error", () => {});
    const packets: mqttPacket.Packet[] = [];
    const parser = mqttPacket.parser({ protocolVersion: 5 });
    parser.on("packet", (p: mqttPacket.Packet) => packets.push(p));
    socket.on("data", (d: Buffer) => parser.parse(d));
    const send = (p: mqttPacket.Packet) => socket.write(mqttPacket.generate(p, { protocolVersion: 5 }));
    send({ cmd: "connect", clientId: "rm", protocolVersion: 5, clean: true, keepalive: 60 });
    for (const messageId of [1, 2, 3])
      send({ cmd: "publish", topic: "t", payload: "x", qos: 2, messageId, dup: false, retain: false });
    await waitFor(() => packets.length >= 4, "CONNACK, two PUBRECs and the DISCONNECT");
    const [connack, , , last] = packets;
    expect(connack?.cmd === "connack" && connack.properties?.receiveMaximum).toBe(2);
    expect(packets.map((p) => p.cmd)).toEqual(["connack", "pubrec", "pubrec", "disconnect"]);
    expect(last?.cmd === "disconnect" && last.reasonCode).toBe(0x93);
    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(0);
  });

  it.each([
    [["--profile", "bogus"], /--profile/],
    [["--port", "70000"], /--port/],
    [["--receive-maximum", "2"], /--receive-maximum: the nanomq profile has no such setting/],
    [
      ["--profile", "spec", "--receive-maximum", "0"],
      /--receive-maximum: expected a whole number from 1 to 65535/,
    ],
    [["--retry-interval", "abc"], /--retry-interval/],
    [["--time-scale", "0"], /--time-scale/],
    [["--server-keepalive", "5"], /--server-keepalive: the nanomq profile has no such setting/],
    [
      ["--profile", "mosquitto", "--server-keepalive", "5"],
      /the mosquitto profile's setting is --max-keepalive/,
    ],
    [["--profile", "mosquitto", "--max-keepalive", "5"], /mosquitto refuses max_keepalive below 10/],
    [["--profile", "spec", "--server-keepalive", "70000"], /--server-keepalive: expected whole seconds/],
  ])("rejects %j with one line and exit 2", async (args, pattern) => {
    const result = await runCli(["broker", ...args], { timeoutMs: 10_000 });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(pattern);
  });
});
