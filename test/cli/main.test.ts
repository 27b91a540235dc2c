import { describe, expect, it } from "vitest";
import { runCli, spawnCli } from "../helpers/cli.js";

describe("mqdiag (the entry point)", () => {
  it("prints help with every command and exits 0", async () => {
    const r = await runCli(["--help"]);
    expect(r.code).toBe(0);
    for (const command of ["scenario", "probe", "logs", "explain", "config", "broker"]) {
      expect(r.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, "m"));
    }
  });

  it("answers an unknown command or option with one line and exit 2", async () => {
    for (const args of [["frobnicate"], ["--bogus"], ["scenario", "--bogus"]]) {
      const r = await runCli(args);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it("stops quietly when the reader of its output goes away (EPIPE)", async () => {
    const cli = spawnCli(["explain"]);
    cli.child.stdout.destroy(); // the reader is gone before mqdiag writes a byte
    const code = await cli.exited;
    expect(cli.stderr()).toBe("");
    expect(code).toBe(0);
  });
});
