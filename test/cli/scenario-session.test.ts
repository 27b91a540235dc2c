import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

/** The built binary (npm test builds first): session-resume's and reconnect-storm's options from the command line. */
describe("mqdiag scenario session-resume / reconnect-storm", () => {
  it.each([
    [["scenario", "session-resume", "--lose", "drop"], "--lose: expected kick, reset, stall"],
    [["scenario", "session-resume", "--messages", "0"], "--messages: expected a whole number from 1 to 1000"],
    [["scenario", "session-resume", "--qos", "0,3"], "--qos: expected QoS levels 0, 1 and 2"],
    [["scenario", "session-resume", "--resume-wait", "soon"], "--resume-wait: expected a duration"],
    [
      ["scenario", "reconnect-storm", "--clients", "1001"],
      "--clients: expected a whole number from 1 to 1000",
    ],
  ])("usage error %j: one line on stderr, exit 2", async (args, message) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe("");
  });

  it("session-resume --qos 1 --messages 5 --format json: the resume array, exit 0", async () => {
    const r = await runCli(
      [
        "scenario",
        "session-resume",
        "--profile",
        "mosquitto",
        "--keepalive",
        "2",
        "--qos",
        "1",
        "--messages",
        "5",
      ].concat(["--format", "json"]),
    );
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout).scenarios[0];
    expect(s.lose).toBe("kick");
    expect(s.resumeWaitS).toBe(4);
    expect(s.resume).toEqual([
      expect.objectContaining({
        cleanSession: false,
        qos: 1,
        published: 5,
        delivered: 5,
        lost: 0,
        duplicated: 0,
      }),
      expect.objectContaining({
        cleanSession: true,
        qos: 1,
        published: 5,
        delivered: 0,
        lost: 5,
        duplicated: 0,
      }),
    ]);
  });
});
