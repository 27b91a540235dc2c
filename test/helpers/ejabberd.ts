import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type LoggedBroker, readLog, waitForLogLine } from "./log-file.js";
import { freePort } from "./mosquitto.js";
import { pollReady } from "./poll-ready.js";
import { runsHere } from "./runs-here.js";

/**
 * Starts a real ejabberd (Debian's `ejabberd` package, 23.01) with only mod_mqtt listening, on a free loopback
 * port, with its own config, Mnesia spool and log in a temp dir. It runs `erl` directly (what `ejabberdctl
 * foreground` runs, without the switch to the ejabberd user and without epmd: the node is `nonode@nohost`); it is
 * up in about 2 s, so each test file starts its own. CI installs the package (.ci/run); there a missing ejabberd
 * fails the tests. MQDIAG_EJABBERD_LIBS overrides the directory holding `ejabberd-<version>/ebin`.
 *
 * mod_mqtt refuses a CONNECT without a password (mod_mqtt_session.erl authenticate/2: an empty password means a TLS
 * client certificate), so the config uses anonymous login (`anonymous_protocol: login_anon`, any user name and any
 * non-empty password): every client must send EJABBERD_CREDENTIALS.
 */
const ERL = "/usr/bin/erl";

export const EJABBERD_CREDENTIALS = { username: "mqdiag", password: "mqdiag" } as const;

export function ejabberdLibs(): string | undefined {
  const candidates = [
    process.env.MQDIAG_EJABBERD_LIBS,
    "/usr/lib/x86_64-linux-gnu",
    "/usr/lib/aarch64-linux-gnu",
  ];
  for (const dir of candidates) {
    if (!dir || !existsSync(dir)) continue;
    const app = readdirSync(dir).find(
      (d) => /^ejabberd-\d/.test(d) && existsSync(join(dir, d, "ebin", "mod_mqtt.beam")),
    );
    if (app && existsSync(ERL)) return dir;
  }
  return undefined;
}

export const EJABBERD_LIBS = ejabberdLibs();

/** true when the ejabberd tests should run; throws under CI when ejabberd is missing (never skip in CI). */
export function ejabberdAvailable(): boolean {
  const missing = EJABBERD_LIBS ? undefined : "ejabberd is not installed";
  return runsHere(missing, "the real-ejabberd tests", "apt-get install ejabberd; .ci/run installs it");
}

export interface Ejabberd extends LoggedBroker {
  /** ms from spawning erl to ejabberd logging that mod_mqtt listens. */
  startMs: number;
}

/**
 * Starts ejabberd, on another free port when the one picked was taken meanwhile (by a test running beside this one:
 * ejabberd then exits with `eaddrinuse`). Ready means ejabberd itself logged that it listens on the port, so a
 * connection accepted by whoever took the port is never taken for ejabberd's.
 */
export async function startEjabberd(): Promise<Ejabberd> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce();
    } catch (err) {
      if (attempt >= 3 || !(err instanceof PortTaken)) throw err;
    }
  }
}

class PortTaken extends Error {}

async function startOnce(): Promise<Ejabberd> {
  if (!EJABBERD_LIBS) throw new Error("ejabberd is not installed");
  const dir = mkdtempSync(join(tmpdir(), "mqdiag-ejabberd-"));
  const spool = join(dir, "spool");
  mkdirSync(spool);
  const logPath = join(dir, "ejabberd.log");
  const port = await freePort();
  const configPath = join(dir, "ejabberd.yml");
  writeFileSync(
    configPath,
    [
      "loglevel: info",
      "hosts:",
      "  - localhost",
      "auth_method: anonymous",
      "anonymous_protocol: login_anon",
      "listen:",
      `  - port: ${port}`,
      '    ip: "127.0.0.1"',
      "    module: mod_mqtt",
      "modules:",
      "  mod_mqtt: {}",
      "",
    ].join("\n"),
  );
  const startedAt = performance.now();
  const child: ChildProcess = spawn(
    ERL,
    ["-noinput", "-mnesia", "dir", JSON.stringify(spool), "-s", "ejabberd"],
    {
      cwd: dir,
      stdio: ["ignore", "ignore", "pipe"],
      env: {
        ...process.env,
        ERL_LIBS: EJABBERD_LIBS,
        EJABBERD_CONFIG_PATH: configPath,
        EJABBERD_LOG_PATH: logPath,
        ERL_CRASH_DUMP_BYTES: "0",
      },
    },
  );
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const log = () => readLog(logPath);
  const waitForLog = (pattern: RegExp, timeoutMs = 10_000, fromOffset = 0) =>
    waitForLogLine({ log, name: "ejabberd", extra: () => stderr }, pattern, timeoutMs, fromOffset);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const listening = `Start accepting TCP connections at 127.0.0.1:${port} for mod_mqtt`;
  try {
    await pollReady({
      attempt: async () => log().includes(listening),
      // about 1 s alone; 20 s and more seen with a dozen test files on 2 busy cores
      timeoutMs: 60_000,
      intervalMs: 25,
      dead: () => child.exitCode !== null,
      diedMessage: "ejabberd exited",
      timeoutMessage: `ejabberd never logged: ${listening}`,
    });
  } catch (err) {
    child.kill("SIGKILL");
    await exited;
    const taken = /eaddrinuse/.test(log() + stderr);
    const text = log();
    rmSync(dir, { recursive: true, force: true });
    if (taken) throw new PortTaken(`port ${port} taken`);
    throw new Error(`ejabberd did not start: ${(err as Error).message}\n${stderr}\n${text}`);
  }
  const startMs = performance.now() - startedAt;
  return {
    port,
    host: "127.0.0.1",
    url: `mqtt://127.0.0.1:${port}`,
    logPath,
    startMs,
    log,
    waitForLog,
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGKILL");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
