import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mqtt from "mqtt";
import { afterEach, describe, expect, it } from "vitest";
import { BIN, runCli } from "../helpers/cli.js";

const children: ChildProcessWithoutNullStreams[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface Running {
  child: ChildProcessWithoutNullStreams;
  port: number;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

async function startCli(args: string[]): Promise<Running> {
  const child = spawn(process.execPath, [BIN, "broker", "--port", "0", ...args], {
    env: { ...process.env, NO_COLOR: "1" },
  });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line; stderr: ${stderr}`)), 15_000);
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      const m = /^listening on 127\.0\.0\.1:(\d+)$/m.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
  });
  return { child, port, stdout: () => stdout, stderr: () => stderr, exited };
}

async function waitFor(predicate: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function connectAndLeave(port: number, clientId: string): Promise<void> {
  const c = mqtt.connect(`mqtt://127.0.0.1:${port}`, { clientId, reconnectPeriod: 0 });
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
    expect(run.stdout()).toMatch(/\[\d+\] INFO .* cli-client online!\n/);
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

  it.each([
    [["--profile", "bogus"], /--profile/],
    [["--port", "70000"], /--port/],
    [["--retry-interval", "abc"], /--retry-interval/],
    [["--time-scale", "0"], /--time-scale/],
  ])("rejects %j with one line and exit 2", async (args, pattern) => {
    const result = await runCli(["broker", ...args], { timeoutMs: 10_000 });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(pattern);
  });
});
