import net from "node:net";
import mqttPacket from "mqtt-packet";
import { afterEach, describe, expect, it } from "vitest";
import { runCli, spawnCli } from "../helpers/cli.js";

/**
 * --tick-jitter / --tick-drift / --tick-seed: a SIMULATED fault of the nanomq profile's per-connection tick (no
 * real broker has the knob). The built binary: options, bad input (one line, exit 2), reports, `mqdiag broker`.
 */
const kills: (() => void)[] = [];
afterEach(() => {
  for (const kill of kills.splice(0)) kill();
});

describe("mqdiag scenario --tick-*: bad input is one line, exit 2", () => {
  it.each([
    [
      ["--tick-jitter", "soon"],
      /^mqdiag: --tick-jitter: expected a duration like 10s, 500ms or 1m, got "soon"\n$/,
    ],
    [["--tick-drift", "5"], /^mqdiag: --tick-drift: expected a percentage like 5% or -20%, got "5"\n$/],
    [["--tick-drift", "-95%"], /^mqdiag: --tick-drift: expected from -90% to 1000% .*, got "-95%"\n$/],
    [["--tick-seed", "3"], /^mqdiag: --tick-seed: needs --tick-jitter .*\n$/],
    [["--tick-jitter", "1s", "--tick-seed", "-1"], /^mqdiag: --tick-seed: expected a whole number .*\n$/],
    [
      ["--profile", "mosquitto", "--tick-drift", "5%"],
      /^mqdiag: --tick-drift: the mosquitto profile has no per-connection tick to disturb \(its keepalive is one broker-wide sweep every 6 s on whole seconds\); only --profile nanomq has one\n$/,
    ],
    [
      ["--profile", "spec", "--tick-jitter", "1s"],
      /^mqdiag: --tick-jitter: the spec profile has no per-connection tick/,
    ],
    [
      ["--broker", "mqtt://127.0.0.1:1", "--tick-jitter", "1s"],
      /^mqdiag: --tick-jitter: simulates a fault of the embedded broker's timer; an external broker \(--broker\) runs its own\n$/,
    ],
  ])("%j", async (args, message) => {
    const r = await runCli(["scenario", "late-ping", ...args]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(message);
  });

  it("mqdiag broker refuses them for mosquitto too", async () => {
    const r = await runCli(["broker", "--port", "0", "--profile", "mosquitto", "--tick-jitter", "200ms"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^mqdiag: --tick-jitter: the mosquitto profile has no per-connection tick/);
  });
});

describe("mqdiag scenario with a simulated tick fault", () => {
  it("JSON: target.tickFault says simulated, with the widened window; the table says SIMULATED", async () => {
    const args = [
      "scenario",
      "late-ping",
      "--retry-interval",
      "1",
      "--keepalive",
      "2",
      "--tick-drift",
      "-40%",
    ];
    const r = await runCli([...args, "--format", "json"], { timeoutMs: 30_000 });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.target.tickFault).toEqual({
      simulated: true,
      note: expect.stringContaining("the real NanoMQ has no such setting"),
      jitter: 0,
      drift: -0.4,
      seed: 1,
      keepalive: 2,
      kickAfterLastPacket: { from: 1.8, to: 2.4 },
      kickAfterLastPacketTrueTimer: { from: 3, to: 4 },
      onTimeClient: { pings: 6, outcome: "kicked" },
    });
    const table = await runCli([...args, "--tick-jitter", "100ms"], { timeoutMs: 30_000 });
    expect(table.stdout).toMatch(
      /^SIMULATED broker timer fault: each tick late by 0–0\.1 s \(seed 1\), every interval 40 % shorter/m,
    );
    expect(table.code).toBe(0);
  }, 60_000);

  it("no --tick-* option: no tickFault key, the report as before", async () => {
    const r = await runCli([
      "scenario",
      "late-ping",
      "--retry-interval",
      "1",
      "--keepalive",
      "2",
      "--format",
      "json",
    ]);
    expect(JSON.parse(r.stdout).target.tickFault).toBeUndefined();
    const zero = await runCli([
      "scenario",
      "late-ping",
      "--retry-interval",
      "1",
      "--keepalive",
      "2",
      "--tick-jitter",
      "0s",
      "--tick-drift",
      "0%",
      "--format",
      "json",
    ]);
    expect(JSON.parse(zero.stdout).target.tickFault).toBeUndefined();
  }, 60_000);
});

describe("mqdiag broker --tick-drift", () => {
  /** A raw client: CONNECT with keepalive 2 s, then a PINGREQ every 2 broker seconds; resolves with the broker's lines. */
  async function onTimeClient(args: string[]): Promise<{ stderr: string; kickAt: number | undefined }> {
    const cli = spawnCli([
      "broker",
      "--port",
      "0",
      "--json",
      "--time-scale",
      "10",
      "--retry-interval",
      "1",
      ...args,
    ]);
    kills.push(() => cli.child.exitCode === null && cli.child.kill("SIGKILL"));
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no listening line: ${cli.stderr()}`)), 15_000);
      cli.child.stderr.on("data", () => {
        const m = /^listening on 127\.0\.0\.1:(\d+)$/m.exec(cli.stderr());
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
    });
    const socket = net.connect(port, "127.0.0.1");
    kills.push(() => socket.destroy());
    socket.on("error", () => {});
    await new Promise((r) => socket.once("connect", r));
    socket.write(
      mqttPacket.generate({
        cmd: "connect",
        protocolId: "MQTT",
        protocolVersion: 4,
        clean: true,
        clientId: "on-time",
        keepalive: 2,
      }),
    );
    const ping = setInterval(() => socket.write(mqttPacket.generate({ cmd: "pingreq" })), 200); // 2 s at ×10
    kills.push(() => clearInterval(ping));
    await new Promise((r) => setTimeout(r, 1500)); // 15 broker seconds
    const lines = cli
      .stdout()
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l))
      .filter((l) => l.clientId === "on-time");
    const connectedAt = lines[0]?.t; // its first line: online! (broker seconds since the broker started)
    const kick = lines.find((l) => l.signature === "keepalive-timeout");
    cli.child.kill("SIGTERM");
    expect(await cli.exited).toBe(0);
    return { stderr: cli.stderr(), kickAt: kick === undefined ? undefined : kick.t - connectedAt };
  }

  it("runs the embedded broker with the fault: an on-time client kicked, none without; stderr says simulated", async () => {
    const faulty = await onTimeClient(["--tick-drift", "-50%"]);
    expect(faulty.stderr).toMatch(
      /^SIMULATED timer fault: every interval 50 % shorter \(a fast timer\) \(a model of/m,
    );
    // ticks 0.75, 1.25, … s after CONNECT, 0.5 s apart: any 2 s between two pings holds four, whatever the
    // phase of the (wall-clock) pings, so the 4th tick after the first PINGREQ (~2 s) kicks: at 2.25–4.25 s.
    // ±0.9 s: toleranceMs at ×10.
    expect(faulty.kickAt).toBeGreaterThanOrEqual(2.25 - 0.9);
    expect(faulty.kickAt).toBeLessThanOrEqual(4.25 + 0.9);
    const plain = await onTimeClient([]);
    expect(plain.kickAt).toBeUndefined();
    expect(plain.stderr).not.toMatch(/SIMULATED/);
  }, 30_000);
});
