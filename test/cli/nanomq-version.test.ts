import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

interface Run {
  scenarios: { name: string; verdict: string; signatures: { id: string; line: string }[] }[];
}

/** The messages of a scenario's lines, the NanoMQ prefix (time, thread, file:line function) cut off. */
const messages = (run: Run) =>
  run.scenarios.flatMap((s) => s.signatures.map((g) => g.line.replace(/^.*? \S+:\d+ \w+: /, "")));

describe("mqdiag scenario --nanomq-version <a real version>", () => {
  it("0.21.9: the takeover is only Object closed → parse error rv: 139 (no collision line, as the real 0.21.9)", async () => {
    const r = await runCli([
      "scenario",
      "session-takeover",
      "--nanomq-version",
      "0.21.9",
      "--format",
      "json",
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const run = JSON.parse(r.stdout) as Run;
    expect(run.scenarios[0]?.verdict).toBe("reproduced");
    expect(messages(run)).toEqual([
      "nni aio recv error!! Object closed",
      "tcptran_pipe_recv_cb: parse error rv: 139",
    ]);
  });

  it("0.25.3 (or v0.25.3): the collision line, then Object closed → recv_error rv: 139", async () => {
    for (const version of ["0.25.3", "v0.25.3"]) {
      const r = await runCli([
        "scenario",
        "session-takeover",
        "--nanomq-version",
        version,
        "--format",
        "json",
      ]);
      expect(r.code, r.stderr).toBe(0);
      const run = JSON.parse(r.stdout) as Run;
      expect(run.scenarios[0]?.verdict).toBe("reproduced");
      const own = messages(run).filter((m) => !/ (online|offline)!$/.test(m));
      expect(own).toEqual([
        "Client ID collision or set ID failed!",
        "nni aio recv error!! Object closed",
        "tcptran_pipe_recv_cb: recv_error rv: 139",
      ]);
    }
  });

  it("0.21 still means the 0.21 era; anything else is a usage error (exit 2, one line)", async () => {
    const old = await runCli(["scenario", "tcp-rst", "--nanomq-version", "0.21", "--format", "json"]);
    expect(old.code, old.stderr).toBe(0);
    expect(messages(JSON.parse(old.stdout) as Run)).toContain("tcptran_pipe_recv_cb: parse error rv: 139");
    const bad = await runCli(["scenario", "tcp-rst", "--nanomq-version", "0.21.x"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    expect(bad.stderr).toMatch(/--nanomq-version: expected "latest" or a NanoMQ version like 0\.21\.9/);
  });

  // one rule for every command that takes it (src/core/options.ts): a version mqdiag knows nothing of is refused
  it.concurrent.each([["scenario", "tcp-rst"], ["broker", "--port", "0"], ["clients"]])(
    "%s: an unknown version (9.9, 0.26) is one line and exit 2",
    async (...command) => {
      for (const version of ["9.9", "0.26"]) {
        const r = await runCli([...command, "--nanomq-version", version]);
        expect(r.code).toBe(2);
        expect(r.stderr.trim().split("\n")).toEqual([
          `mqdiag: --nanomq-version: unknown NanoMQ version "${version}" (mqdiag knows 0.x up to 0.25.x; for a newer one use latest)`,
        ]);
      }
    },
  );
});
