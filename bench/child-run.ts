import { type ChildProcess, spawn } from "node:child_process";
import { availableParallelism, loadavg } from "node:os";

/**
 * One timed child process for the startup bench: wall time from spawn() to its exit, or to the first stderr line
 * matching `readyOn` (a long-running command such as `mqdiag broker`), after which it is stopped with SIGTERM
 * (SIGKILL after 5 s). Every child started here is in `live` until it has exited, so the bench can kill the rest
 * if it is interrupted.
 */
export interface ChildTiming {
  /** spawn() → exit (or → the ready line), real ms. */
  ms: number;
  ok: boolean;
  /** Only for `readyOn`: SIGTERM → exit, real ms. */
  stopMs?: number;
  detail: string;
  /** Only with `stdout: true`: what the child wrote to stdout. */
  stdout?: string;
}

export const live = new Set<ChildProcess>();

export function killAll(): void {
  for (const child of live) child.kill("SIGKILL");
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once("exit", (code) => resolve(code));
  });

async function stop(child: ChildProcess): Promise<number> {
  const started = performance.now();
  const done = exited(child);
  child.kill("SIGTERM");
  const t = setTimeout(() => child.kill("SIGKILL"), 5000);
  await done;
  clearTimeout(t);
  return performance.now() - started;
}

export async function timeChild(
  args: readonly string[],
  options: { cwd: string; readyOn?: RegExp; timeoutMs?: number; stdout?: boolean },
): Promise<ChildTiming> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: options.cwd, stdio: ["ignore", "pipe", "pipe"] });
  live.add(child);
  child.once("exit", () => live.delete(child));
  let stdout = "";
  if (options.stdout) child.stdout?.on("data", (c: Buffer) => (stdout += c.toString()));
  else child.stdout?.resume();
  let stderr = "";
  const killer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 20_000);
  try {
    const readyOn = options.readyOn;
    if (readyOn === undefined) {
      child.stderr?.on("data", (c: Buffer) => {
        stderr += c.toString();
      });
      const code = await exited(child);
      const ms = performance.now() - started;
      return {
        ms,
        ok: code === 0,
        detail: code === 0 ? "" : `exit ${code}: ${stderr.trim().slice(0, 200)}`,
        ...(options.stdout ? { stdout } : {}),
      };
    }
    const ready = await new Promise<boolean>((resolve) => {
      child.stderr?.on("data", (c: Buffer) => {
        stderr += c.toString();
        if (readyOn.test(stderr)) resolve(true);
      });
      child.once("exit", () => resolve(false));
    });
    const ms = performance.now() - started;
    if (!ready) return { ms, ok: false, detail: `exited before ${readyOn}: ${stderr.trim().slice(0, 200)}` };
    return { ms, ok: true, stopMs: await stop(child), detail: "" };
  } finally {
    clearTimeout(killer);
    if (live.has(child)) await stop(child);
  }
}

/** Runs a bench that spawns children: Ctrl-C or SIGTERM mid-run, or its end, kills every child still running. */
export async function withChildrenKilled(run: () => Promise<void>): Promise<void> {
  const onSignal = () => {
    killAll();
    process.exit(130);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    await run();
  } finally {
    killAll();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

/** The load line every child-timing bench ends with: its ratios hold under load, its absolute times do not. */
export function loadLine(): string {
  const [one, five] = loadavg();
  return `load average ${one?.toFixed(2)} (1 min), ${five?.toFixed(2)} (5 min) on ${availableParallelism()} cores: ratios hold, absolute times move with it`;
}
