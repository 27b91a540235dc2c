import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const BIN = fileURLToPath(new URL("../../bin/mqdiag.js", import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A running mqdiag whose output is collected as it comes: for tests that talk to it while it runs. */
export interface CliProcess {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit status when the process has exited and its output is drained. */
  exited: Promise<number | null>;
}

/** Spawns the built binary with colour off (NO_COLOR, no FORCE_COLOR unless `env` sets it). */
export function spawnCli(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): CliProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", ...options.env };
  if (options.env?.FORCE_COLOR === undefined) delete env.FORCE_COLOR;
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", resolve);
  });
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/**
 * Runs the built binary (npm test builds first) with `args` and resolves when it exits. Kills it after
 * `timeoutMs` so a hang fails the test instead of stalling the suite.
 */
export function runCli(
  args: string[],
  options: { timeoutMs?: number; input?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<CliResult> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const cli = spawnCli(args, options);
  cli.child.stdin.end(options.input ?? "");
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      cli.child.kill("SIGKILL");
      reject(new Error(`mqdiag ${args.join(" ")} did not exit within ${timeoutMs} ms\n${cli.stderr()}`));
    }, timeoutMs);
  });
  return Promise.race([cli.exited, timeout])
    .then((code) => ({ code, stdout: cli.stdout(), stderr: cli.stderr() }))
    .finally(() => clearTimeout(timer));
}
