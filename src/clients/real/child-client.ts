import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import type { RealClient, RealClientExit, RealClientOptions } from "./types.js";

/** The idle client programs' arguments: host, port, client id, keepalive s, loop interval ms, and `5` for MQTT 5. */
export function programArgs(o: RealClientOptions): string[] {
  const base = [
    o.host,
    String(o.port),
    o.clientId,
    String(o.keepaliveS),
    String(Math.round(o.loopIntervalMs)),
  ];
  return o.protocolVersion === 5 ? [...base, "5"] : base;
}

/**
 * Runs one of the idle client programs under clients/ (a C program, the Python or the MQTT.js 4 script): it prints `connected`
 * on the CONNACK and `lost <reason>` when its connection ends, then exits.
 */
export function childClient(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<RealClient> {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], env });
  let lost: string | null = null;
  let stderr = "";
  let onConnected: (ok: boolean) => void = () => {};
  const connected = new Promise<boolean>((resolve) => {
    onConnected = resolve;
  });
  createInterface({ input: child.stdout }).on("line", (line) => {
    if (line === "connected") onConnected(true);
    else if (line.startsWith("lost")) lost = line.slice(5) || "lost";
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  const exited = new Promise<RealClientExit>((resolve) => {
    child.once("close", (code, signal) => {
      onConnected(false);
      resolve({
        code,
        signal,
        lost: lost ?? (code !== 0 && stderr ? (stderr.trim().split("\n").pop() ?? null) : null),
      });
    });
  });
  return new Promise((resolve, reject) => {
    child.once("error", (err) => reject(new Error(`${command} could not start: ${err.message}`)));
    child.once("spawn", () =>
      resolve({
        pid: child.pid ?? 0,
        connected,
        exited,
        stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
          return exited;
        },
      }),
    );
  });
}
