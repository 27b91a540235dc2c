import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type LoggedBroker, readLog, waitForLogLine } from "./log-file.js";
import { freePort } from "./mosquitto.js";
import { pollReady } from "./poll-ready.js";
import { runsHere } from "./runs-here.js";

/**
 * Real NanoMQ brokers for the tests that compare mqdiag with them. The binaries come from, in order:
 * `NANOMQ_0_21_9_BIN` / `NANOMQ_0_25_3_BIN` (a NanoMQ of one's own), or `../shared/nanomq/build.sh <version>`
 * (builds once in ~20 s, cached in ~/.cache/mqdiag-nanomq). `.ci/run` builds both and sets the variables. Without
 * either, the tests skip with one line locally and fail under CI.
 */
export const NANOMQ_VERSIONS = ["0.21.9", "0.25.3"] as const;
export type NanomqVersion = (typeof NANOMQ_VERSIONS)[number];

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/** dist/test/helpers when run from the build: look for the project root beside `package.json`. */
function projectRoot(): string {
  let dir = root;
  while (!existsSync(join(dir, "package.json")) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}
const BUILD_SCRIPT = join(projectRoot(), "..", "shared", "nanomq", "build.sh");

const envName = (version: NanomqVersion) => `NANOMQ_${version.replaceAll(".", "_")}_BIN`;
const found = new Map<NanomqVersion, string | undefined>();

/** The binary for `version`, building it (cached) when the build script is at hand; undefined when none. */
export function nanomqPath(version: NanomqVersion): string | undefined {
  if (found.has(version)) return found.get(version);
  let path = process.env[envName(version)];
  if (!path && existsSync(BUILD_SCRIPT)) {
    try {
      path = execFileSync("bash", [BUILD_SCRIPT, version], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      })
        .trim()
        .split("\n")
        .pop();
    } catch (err) {
      if (process.env.CI) throw new Error(`building NanoMQ ${version} failed: ${(err as Error).message}`);
      path = undefined;
    }
  }
  const ok = path !== undefined && existsSync(path);
  found.set(version, ok ? path : undefined);
  return ok ? path : undefined;
}

/** true when the tests against NanoMQ `version` should run; throws under CI when it cannot be had. */
export function nanomqAvailable(version: NanomqVersion): boolean {
  const missing = nanomqPath(version) ? undefined : `NanoMQ ${version} is not available`;
  const how = `set ${envName(version)} to a nanomq binary, or keep ../shared/nanomq beside the project`;
  return runsHere(missing, "its real-NanoMQ tests", how);
}

export interface NanomqOptions {
  /** Q, the keepalive tick (`mqtt.retry_interval`), in seconds; default 1. */
  retryIntervalS?: number;
  /** M (`mqtt.keepalive_multiplier`); default 1.25. */
  multiplier?: number;
  /** `log.level`; default warn (what production runs). */
  level?: "warn" | "info" | "debug" | "error";
  /** `log.to`; default [file]. */
  to?: ("file" | "console")[];
  /** `log.rotation.size`; default 100MB, so a test sees one file. */
  rotationSize?: string;
  rotationCount?: number;
  /** Extra lines inside `mqtt { }`. */
  mqtt?: string[];
  /**
   * Start with `--old_conf` and the old flat format instead (nanomqFlatConfig): these `key=value` lines come last,
   * and the last line wins there, e.g. `["keepalive_backoff=1250"]`.
   */
  oldConf?: string[];
}

/** A started NanoMQ; its waitForLog reads from readyOffset unless told otherwise. */
export interface Nanomq extends LoggedBroker {
  version: NanomqVersion;
  dir: string;
  /** The log written since the broker answered its readiness CONNECT (that client's lines excluded). */
  logSinceReady(): string;
  /** Offset into log() where logSinceReady starts. */
  readyOffset: number;
  /** Lines printed on stdout/stderr (console log, start-up chatter). */
  output(): string;
}

/** The client id of the readiness check: a real CONNECT/DISCONNECT, which NanoMQ logs at most as online/offline. */
export const READY_CLIENT_ID = "mqdiag-test-ready";

export function nanomqConfig(dir: string, port: number, o: NanomqOptions = {}): string {
  return [
    "mqtt {",
    "    max_packet_size = 10KB",
    `    retry_interval = ${o.retryIntervalS ?? 1}s`,
    `    keepalive_multiplier = ${o.multiplier ?? 1.25}`,
    ...(o.mqtt ?? []).map((l) => `    ${l}`),
    "}",
    `listeners.tcp { bind = "127.0.0.1:${port}" }`,
    "log {",
    `    to = [${(o.to ?? ["file"]).join(", ")}]`,
    `    level = ${o.level ?? "warn"}`,
    `    dir = "${dir}"`,
    `    file = "nanomq.log"`,
    `    rotation { size = ${o.rotationSize ?? "100MB"}, count = ${o.rotationCount ?? 5} }`,
    "}",
    "auth { allow_anonymous = true, no_match = allow, deny_action = ignore }",
    // No `nanomq reload/stop` command server: it listens on one fixed path (/tmp/nanomq_cmd.ipc) that every
    // instance deletes and re-creates, so instances side by side would share it.
    "system { enable_ipc_internal = false }",
    "",
  ].join("\n");
}

/** The same broker in the old flat format, read by `nanomq start --old_conf` (retryIntervalS, multiplier, level). */
export function nanomqFlatConfig(dir: string, port: number, o: NanomqOptions = {}): string {
  return [
    `url=nmq-tcp://127.0.0.1:${port}`,
    "daemon=false",
    `qos_duration=${o.retryIntervalS ?? 1}`,
    `keepalive_backoff=${o.multiplier ?? 1.25}`,
    "allow_anonymous=true",
    "websocket.enable=false",
    "http_server.enable=false",
    "enable_ipc_internal=false",
    "log.to=file",
    `log.level=${o.level ?? "warn"}`,
    `log.dir=${dir}`,
    "log.file=nanomq.log",
    `log.rotation.size=${o.rotationSize ?? "100MB"}`,
    `log.rotation.count=${o.rotationCount ?? 5}`,
    ...(o.oldConf ?? []),
    "",
  ].join("\n");
}

/**
 * 0.21.9 keeps its pid file at a compiled-in path (/tmp/nanomq/nanomq.pid, `PID_PATH_NAME`) and refuses to start
 * while the pid in it runs. The file is written once at start (`store_pid`, before the listener opens) and read only
 * by the next `nanomq start`/`stop`/`restart` (`status_check` in nanomq/apps/broker.c), so once an instance answers
 * MQTT its pid file has done its job: the helper removes it and the next 0.21.9 may start beside it. A lock file
 * (across test files and workers) covers only the start, from spawn to that removal.
 */
const LOCK_0_21 = join(tmpdir(), "mqdiag-nanomq-0.21.9.lock");
const PID_FILE_0_21 = "/tmp/nanomq/nanomq.pid";

/** Removes 0.21.9's compiled-in pid file when it names `pid` (our instance, up and answering). */
function forgetPidFile(pid: number | undefined): void {
  try {
    if (pid !== undefined && Number(readFileSync(PID_FILE_0_21, "utf8").replace(/\0/g, "").trim()) === pid)
      unlinkSync(PID_FILE_0_21);
  } catch {}
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function takeLock(path: string, timeoutMs: number): Promise<() => void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      writeFileSync(path, String(process.pid), { flag: "wx" });
      return () => {
        try {
          unlinkSync(path);
        } catch {}
      };
    } catch {
      const holder = Number(readFileSync(path, "utf8").trim() || "0");
      if (holder > 0 && !alive(holder)) {
        try {
          unlinkSync(path);
        } catch {}
        continue;
      }
      if (Date.now() > deadline) throw new Error(`NanoMQ 0.21.9 is still in use by pid ${holder} (${path})`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export async function startNanomq(version: NanomqVersion, options: NanomqOptions = {}): Promise<Nanomq> {
  const bin = nanomqPath(version);
  if (!bin) throw new Error(`NanoMQ ${version} is not available`);
  const unlock = version === "0.21.9" ? await takeLock(LOCK_0_21, 60_000) : () => {};
  let locked = true;
  const release = () => {
    if (locked) unlock();
    locked = false;
  };
  const dir = mkdtempSync(join(tmpdir(), `mqdiag-nanomq-${version}-`));
  const logPath = join(dir, "nanomq.log");
  const port = await freePort();
  const confPath = join(dir, "nanomq.conf");
  const flat = options.oldConf !== undefined;
  writeFileSync(confPath, flat ? nanomqFlatConfig(dir, port, options) : nanomqConfig(dir, port, options));
  if (version === "0.21.9") mkdirSync("/tmp/nanomq", { recursive: true });
  const child: ChildProcess = spawn(bin, ["start", flat ? "--old_conf" : "--conf", confPath], {
    cwd: dir,
    env: { ...process.env, NANOMQ_PID_FILE: join(dir, "nanomq.pid") },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const log = () => readLog(logPath);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
      await exited;
      clearTimeout(timer);
    }
    release();
    rmSync(dir, { recursive: true, force: true });
  };
  let readyOffset = 0;
  try {
    await waitForMqtt(port, 10_000, () => child.exitCode !== null);
    if (version === "0.21.9") forgetPidFile(child.pid);
    release();
    // The readiness client's online/offline lines (0.25.3) are written a moment after its DISCONNECT.
    await new Promise((r) => setTimeout(r, 150));
    readyOffset = log().length;
  } catch (err) {
    await stop();
    throw new Error(`NanoMQ ${version} did not start: ${(err as Error).message}\n${output}`);
  }
  return {
    version,
    port,
    host: "127.0.0.1",
    url: `mqtt://127.0.0.1:${port}`,
    dir,
    logPath,
    log,
    logSinceReady: () => log().slice(readyOffset),
    readyOffset,
    output: () => output,
    waitForLog: (pattern, timeoutMs = 15_000, fromOffset = readyOffset) =>
      waitForLogLine({ log, name: `NanoMQ ${version}` }, pattern, timeoutMs, fromOffset),
    stop,
  };
}

/** CONNECT (3.1.1, clean, keepalive 0 … 60) then DISCONNECT: how the helper knows the broker is up, logging no nego error. */
const CONNECT = Buffer.from([
  0x10,
  12 + READY_CLIENT_ID.length,
  0x00,
  0x04,
  ...Buffer.from("MQTT"),
  0x04,
  0x02,
  0x00,
  0x3c,
  0x00,
  READY_CLIENT_ID.length,
  ...Buffer.from(READY_CLIENT_ID),
]);

function waitForMqtt(port: number, timeoutMs: number, dead: () => boolean): Promise<void> {
  return pollReady({
    attempt: () =>
      new Promise<boolean>((resolve) => {
        const socket = net.connect(port, "127.0.0.1");
        const done = (v: boolean) => {
          socket.destroy();
          resolve(v);
        };
        socket.once("connect", () => socket.write(CONNECT));
        socket.once("data", (d: Buffer) => {
          if (d[0] !== 0x20) return done(false);
          socket.end(Buffer.from([0xe0, 0x00]), () => setTimeout(() => done(true), 20));
        });
        socket.once("error", () => done(false));
        socket.setTimeout(2000, () => done(false));
      }),
    timeoutMs,
    intervalMs: 50,
    dead,
    diedMessage: "nanomq exited",
    timeoutMessage: `no MQTT broker answering on 127.0.0.1:${port}`,
  });
}

/**
 * `mqdiag scenario`'s arguments for running against a real NanoMQ started with `retryIntervalS: 1`: its URL and log,
 * keepalive 2 s and the matching --retry-interval, so kicks come within seconds.
 */
export function externalScenarioArgs(broker: Pick<Nanomq, "url" | "logPath">, keepaliveS = 2): string[] {
  return [
    "--broker",
    broker.url,
    "--broker-log",
    broker.logPath,
    "--keepalive",
    String(keepaliveS),
    "--retry-interval",
    "1",
  ];
}
