import { execFile } from "node:child_process";
import { type Built, buildProgram, type CProgram } from "./build-program.js";
import { childClient, programArgs } from "./child-client.js";
import type { Availability, RealLibrary, RealLibraryId } from "./types.js";

/** A library run through a program of ours under clients/: a C program built on first use, or a script. */
export interface ProgramLibrarySpec {
  id: RealLibraryId;
  describe: string;
  drivenByLoop: boolean;
  minKeepaliveS: number;
  /** The program to build, or why it cannot be here (a missing source). */
  program(): CProgram | { reason: string };
  /** The library's version, given the built program (which answers `--version` for most). */
  version(path: string): Promise<string>;
  /** What to tell a user whose build failed ("install libpaho-mqtt-dev"). */
  hint: string;
}

export function programLibrary(spec: ProgramLibrarySpec): RealLibrary {
  let built: Promise<Built> | undefined;
  const build = (): Promise<Built> => {
    built ??= (async () => {
      const p = spec.program();
      return "reason" in p ? { ok: false as const, reason: p.reason } : buildProgram(p);
    })();
    return built;
  };
  let detected: Promise<Availability> | undefined;
  return {
    id: spec.id,
    describe: spec.describe,
    drivenByLoop: spec.drivenByLoop,
    minKeepaliveS: spec.minKeepaliveS,
    detect() {
      detected ??= (async (): Promise<Availability> => {
        const b = await build();
        if (!b.ok) return { available: false, reason: `${b.reason} (${spec.hint})` };
        try {
          return { available: true, version: await spec.version(b.path) };
        } catch (err) {
          return {
            available: false,
            reason: `${spec.id} does not run: ${(err as Error).message} (${spec.hint})`,
          };
        }
      })();
      return detected;
    },
    async start(o) {
      const a = await this.detect();
      if (!a.available) throw new Error(`${spec.id} is not available here: ${a.reason}`);
      const b = await build();
      if (!b.ok) throw new Error(b.reason);
      return childClient(b.path, programArgs(o));
    },
  };
}

/** The first line `command args` prints, or a rejection with its first line of errors. */
export function firstLine(command: string, commandArgs: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, commandArgs, { encoding: "utf8", timeout: 10_000 }, (err, stdout, stderr) => {
      if (err) {
        const lines = `${stderr}`.trim().split("\n");
        reject(new Error((lines.pop() || err.message).trim()));
        return;
      }
      resolve(stdout.trim().split("\n")[0] ?? "");
    });
  });
}
