import net from "node:net";
import mqttPacket from "mqtt-packet";
import { afterEach, describe, expect, it } from "vitest";
import { runCli, spawnCli } from "../helpers/cli.js";
import { connectBytes } from "../helpers/raw-client.js";

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
    [
      ["--profile", "mosquitto", "--tick-drift", "5%"],
      /^mqdiag: --tick-drift: the mosquitto profile has no per-connection tick to disturb \(its keepalive is one broker-wide sweep every 6 s on whole seconds\); only --profile nanomq has one\n$/,
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
  // Without a --tick-* option the JSON target is exactly as before: test/cli/scenario.test.ts checks it whole.
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
    socket.write(connectBytes({ clientId: "on-time", keepalive: 2 }));
    const ping = setInterval(() => socket.write(mqttPacket.generate({ cmd: "pingreq" })), 200); // 2 s at ×10
    kills.push(() => clearInterval(ping));
    const lines = () =>
      cli
        .stdout()
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l))
        .filter((l) => l.clientId === "on-time");
    const kicked = () => lines().some((l) => l.signature === "keepalive-timeout");
    // Until its kick line, or 15 broker seconds without one (the broker is another process: no manual clock here).
    await new Promise<void>((resolve) => {
      const window = setTimeout(done, 1500);
      function done() {
        clearTimeout(window);
        cli.child.stdout.off("data", check);
        resolve();
      }
      function check() {
        if (kicked()) done();
      }
      cli.child.stdout.on("data", check);
      check();
    });
    const seen = lines();
    const connectedAt = seen[0]?.t; // its first line: online! (broker seconds since the broker started)
    const kick = seen.find((l) => l.signature === "keepalive-timeout");
    cli.child.kill("SIGTERM");
    expect(await cli.exited).toBe(0);
    return { stderr: cli.stderr(), kickAt: kick === undefined ? undefined : kick.t - connectedAt };
  }

  it("runs the embedded broker with the fault: an on-time client kicked, none without; stderr says simulated", async () => {
    const faulty = await onTimeClient(["--tick-drift", "-50%"]);
    expect(faulty.stderr).toMatch(
      /^SIMULATED timer fault: every interval 50 % shorter \(a fast timer\) \(a model of/m,
    );
    // Ticks 0.75, 1.25, … s after CONNECT, 0.5 s apart: any 2 s between two pings holds four, whatever the phase,
    // so the 4th tick after the first PINGREQ kicks, before the client's third. The pings run on the wall clock, so
    // under load they drift against the broker's scaled ticks: only those bounds are asserted here (±0.9 s, the
    // tolerance at ×10); the exact instant is tested on one clock in test/integration/scenarios/tick-fault.test.ts.
    expect(faulty.kickAt).toBeGreaterThanOrEqual(2.25 - 0.9);
    expect(faulty.kickAt).toBeLessThanOrEqual(6 + 0.9);
    const plain = await onTimeClient([]);
    expect(plain.kickAt).toBeUndefined();
    expect(plain.stderr).not.toMatch(/SIMULATED/);
  }, 30_000);
});
