import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type LoggedBroker, readLog, waitForLogLine } from "./log-file.js";
import { pollReady } from "./poll-ready.js";
import { runsHere } from "./runs-here.js";

/**
 * Starts a real mosquitto on a free loopback port with its own config and log file, for tests that compare
 * mqdiag against the real broker. CI installs mosquitto (.ci/run); there a missing mosquitto fails the tests.
 * Locally they are skipped with a message saying how to install it.
 */
export function mosquittoPath(): string | undefined {
  for (const candidate of ["/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto"]) {
    try {
      execFileSync(candidate, ["-h"], { stdio: "ignore" });
    } catch (err) {
      // `mosquitto -h` exits 3 after printing its usage: it exists.
      if ((err as { status?: number }).status === 3) return candidate;
    }
  }
  return undefined;
}

export const MOSQUITTO = mosquittoPath();

/** true when the mosquitto tests should run; throws under CI when mosquitto is missing (never skip in CI). */
export function mosquittoAvailable(): boolean {
  const missing = MOSQUITTO ? undefined : "mosquitto is not installed";
  return runsHere(
    missing,
    "the real-mosquitto tests",
    "apt-get install mosquitto mosquitto-clients; .ci/run does",
  );
}

export interface Mosquitto extends LoggedBroker {
  /** Extra listeners' ports, in the order of `extraListeners`. */
  extraPorts: number[];
  dir: string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

export interface MosquittoOptions {
  /** The main listener's port to try first (default: a free one); another free one if it is taken. */
  port?: number;
  /** Extra config lines for the main listener's section (e.g. `max_keepalive 10`). */
  config?: string[];
  /** Extra listeners, each a list of lines after `listener <port> 127.0.0.1` (e.g. ["protocol websockets"]). */
  extraListeners?: string[][];
}

/**
 * Starts mosquitto, on other free ports when one picked was taken meanwhile (by a test running beside this one, whose
 * own bind(0) was handed the same port: mosquitto then logs `Error: Address already in use` and exits). Ready means
 * mosquitto itself logged `mosquitto version … running`, after opening every listener, so a connection accepted by
 * whoever took the port is never taken for mosquitto's (seen in CI: every probe of one file answered by another
 * test's broker, exit 3).
 */
export async function startMosquitto(options: MosquittoOptions = {}): Promise<Mosquitto> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options, attempt === 1 ? options.port : undefined);
    } catch (err) {
      if (attempt >= 3 || !(err instanceof PortTaken)) throw err;
    }
  }
}

class PortTaken extends Error {}

async function startOnce(options: MosquittoOptions, wanted: number | undefined): Promise<Mosquitto> {
  if (!MOSQUITTO) throw new Error("mosquitto is not installed");
  const dir = mkdtempSync(join(tmpdir(), "mqdiag-mosquitto-"));
  const logPath = join(dir, "mosquitto.log");
  writeFileSync(logPath, "");
  const port = wanted ?? (await freePort());
  const extraPorts: number[] = [];
  const lines = [
    "user root",
    "per_listener_settings false",
    "allow_anonymous true",
    "persistence false",
    "log_type all",
    "log_timestamp true",
    `log_dest file ${logPath}`,
    ...(options.config ?? []),
    `listener ${port} 127.0.0.1`,
  ];
  for (const extra of options.extraListeners ?? []) {
    const p = await freePort();
    extraPorts.push(p);
    lines.push(`listener ${p} 127.0.0.1`, ...extra);
  }
  const confPath = join(dir, "mosquitto.conf");
  writeFileSync(confPath, `${lines.join("\n")}\n`);
  const child: ChildProcess = spawn(MOSQUITTO, ["-c", confPath], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const log = () => readLog(logPath);
  const waitForLog = (pattern: RegExp, timeoutMs = 15_000, fromOffset = 0) =>
    waitForLogLine({ log, name: "mosquitto", extra: () => stderr }, pattern, timeoutMs, fromOffset);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    await waitForPort(port, 10_000, () => child.exitCode !== null);
    for (const p of extraPorts) await waitForPort(p, 10_000, () => child.exitCode !== null);
    await pollReady({
      attempt: async () => /mosquitto version \S+ running/.test(log()),
      timeoutMs: 10_000,
      intervalMs: 25,
      dead: () => child.exitCode !== null,
      diedMessage: "mosquitto exited",
      timeoutMessage: "mosquitto did not log that it runs",
    });
  } catch (err) {
    child.kill("SIGKILL");
    await exited;
    const said = `${stderr}\n${log()}`;
    rmSync(dir, { recursive: true, force: true });
    if (/Address already in use/.test(said)) throw new PortTaken(said);
    throw new Error(`mosquitto did not start: ${(err as Error).message}\n${said}`);
  }
  return {
    port,
    host: "127.0.0.1",
    url: `mqtt://127.0.0.1:${port}`,
    extraPorts,
    logPath,
    dir,
    log,
    waitForLog,
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function waitForPort(port: number, timeoutMs: number, dead: () => boolean): Promise<void> {
  return pollReady({
    attempt: () =>
      new Promise<boolean>((resolve) => {
        const socket = net.connect(port, "127.0.0.1");
        socket.once("connect", () => {
          socket.destroy();
          resolve(true);
        });
        socket.once("error", () => resolve(false));
      }),
    timeoutMs,
    intervalMs: 25,
    dead,
    diedMessage: "mosquitto exited",
    timeoutMessage: `nothing listening on 127.0.0.1:${port}`,
  });
}
