import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** A small C program against a client library: its sources, include folders and linker flags. */
export interface CProgram {
  name: string;
  sources: string[];
  includeDirs: string[];
  libs: string[];
}

export type Built = { ok: true; path: string } | { ok: false; reason: string };

/** Where built programs are kept: $MQDIAG_CLIENTS_CACHE, else ~/.cache/mqdiag-clients (XDG_CACHE_HOME honoured). */
export function clientsCacheDir(): string {
  const env = process.env.MQDIAG_CLIENTS_CACHE;
  if (env) return env;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "mqdiag-clients");
}

const builds = new Map<string, Promise<Built>>();

/**
 * Builds `program` with the system's `cc` once, into the cache under a name that hashes its sources and flags (a
 * changed source builds anew), written beside and renamed in, so processes building at once never run half a
 * file. Resolves with the path, or with one line saying why it could not be built.
 */
export function buildProgram(program: CProgram): Promise<Built> {
  const hash = createHash("sha256");
  for (const s of program.sources) {
    if (!existsSync(s)) return Promise.resolve({ ok: false, reason: `${s} not found` });
    hash.update(s).update(readFileSync(s));
  }
  hash.update(JSON.stringify([program.includeDirs, program.libs]));
  const dir = join(clientsCacheDir(), "bin");
  const out = join(dir, `${program.name}-${hash.digest("hex").slice(0, 12)}`);
  let built = builds.get(out);
  if (!built) {
    built = existsSync(out) ? Promise.resolve({ ok: true, path: out }) : compile(program, dir, out);
    builds.set(out, built);
  }
  return built;
}

function compile(program: CProgram, dir: string, out: string): Promise<Built> {
  mkdirSync(dir, { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  const args = [
    "-O2",
    ...program.includeDirs.map((d) => `-I${d}`),
    ...program.sources,
    "-o",
    tmp,
    ...program.libs,
  ];
  return new Promise((resolve) => {
    execFile("cc", args, { encoding: "utf8" }, (err, _stdout, stderr) => {
      if (err) {
        rmSync(tmp, { force: true });
        const code = (err as NodeJS.ErrnoException).code;
        const why =
          code === "ENOENT"
            ? "no C compiler (cc) on PATH"
            : (stderr.split("\n").find((l) => /error/.test(l)) ?? err.message).trim();
        resolve({ ok: false, reason: `building ${program.name} failed: ${why}` });
        return;
      }
      renameSync(tmp, out);
      resolve({ ok: true, path: out });
    });
  });
}
