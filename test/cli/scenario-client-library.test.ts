import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

/** `mqdiag scenario client-library`: its options, their errors, and the JSON's `clients[].library`. */
describe("mqdiag scenario client-library", () => {
  it.concurrent.each([
    [["--client", "nope"], /--client: unknown library 'nope'/],
    [["--loop-interval", "fast"], /--loop-interval: expected a duration/],
  ])("%j is one line on stderr and exit 2", async (args, message) => {
    const r = await runCli(["scenario", "client-library", ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  it.concurrent("--help shows its own options", async () => {
    const r = await runCli(["scenario", "client-library", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("client-library options:");
    expect(r.stdout).toMatch(/^ {2}--client <library> /m);
    expect(r.stdout).toMatch(/^ {2}--loop-interval <duration> /m);
  });

  // the scenarios whose subject is a healthy client take --client too (the same option, declared once)
  it.concurrent.each(["network-stall", "pingresp-lost", "half-open", "high-latency", "keepalive-budget"])(
    "%s --help lists --client and --loop-interval; an unknown library is one line, exit 2",
    async (name) => {
      const help = await runCli(["scenario", name, "--help"]);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/^ {2}--client <library> /m);
      expect(help.stdout).toMatch(/^ {2}--loop-interval <duration> /m);
      const bad = await runCli(["scenario", name, "--client", "nope"]);
      expect(bad.code).toBe(2);
      expect(bad.stderr.trim().split("\n")).toEqual([
        expect.stringMatching(/--client: unknown library 'nope'/),
      ]);
    },
  );

  it.concurrent("a model-only library: JSON says which ran (real false) and the forecast", async () => {
    const r = await runCli([
      "scenario",
      "client-library",
      "--client",
      "esp-mqtt",
      "--keepalive",
      "4",
      "--retry-interval",
      "1",
      "--format",
      "json",
    ]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    const s = doc.scenarios[0];
    expect(s.verdict).toBe("reproduced");
    const subject = s.clients.find((c: { control: boolean }) => !c.control);
    expect(subject.library).toEqual({ id: "esp-mqtt", version: "2022-03+", real: false });
    expect(s.clientLibrary.library).toMatchObject({ id: "esp-mqtt", real: false });
    expect(s.clientLibrary.forecast.first).toBe("nobody");
    // the control client has no library member: the JSON of other clients is unchanged
    expect(s.clients.find((c: { control: boolean }) => c.control).library).toBeUndefined();
  });
});
