import { type ChildProcess, spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * A real aedes broker (the npm devDependency, aedes-broker.mjs) in a child process of its own on a free loopback
 * port. aedes comes with `npm ci`, so it is always available: no skip, in CI or not.
 */
const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), "aedes-broker.mjs");

export interface Aedes {
  port: number;
  /** The running aedes' own version (its `version` getter). */
  version: string;
  /** The events aedes emitted so far, one per line (`<ms> <event> <client id> <message>`). */
  events(): string[];
  stop(): Promise<void>;
}

export async function startAedes(): Promise<Aedes> {
  const child: ChildProcess = spawn(process.execPath, [SCRIPT, "0"], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stderr?.on("data", (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const [port, version] = await new Promise<[number, string]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`aedes did not start within 10 s: ${err}`)), 10_000);
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /^listening (\d+) (\S+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve([Number(m[1]), m[2] as string]);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`aedes exited (${code}): ${err}`));
    });
  });
  return {
    port,
    version,
    events: () => out.split("\n").filter((l) => l && !l.startsWith("listening")),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
