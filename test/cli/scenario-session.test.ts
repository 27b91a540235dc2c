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

  it("reconnect-storm: 100 clients without --clients, --clients N when given; the clock it measured on said", async () => {
    const storm = async (extra: string[]) => {
      const r = await runCli(["scenario", "reconnect-storm", "--keepalive", "2", ...extra]);
      expect(r.code, r.stderr).toBe(0);
      return r.stdout;
    };
    const json = JSON.parse(await storm(["--format", "json"])).scenarios[0];
    expect(
      json.storm.map((p: { policy: string; clients: number; back: number }) => [p.policy, p.clients, p.back]),
    ).toEqual([
      ["immediate", 100, 100],
      ["backoff", 100, 100],
    ]);
    // --clients given: that many, whichever value (the common default, 1, included)
    const one = JSON.parse(await storm(["--clients", "1", "--format", "json"])).scenarios[0];
    expect(one.storm.map((p: { clients: number }) => p.clients)).toEqual([1, 1]);
    // at ×1 the rates are true, and the report says so (retry interval 1 s: the kick within ~3 s of real time)
    const args = ["--clients", "3", "--reconnect", "immediate", "--retry-interval", "1", "--time-scale", "1"];
    expect(await storm(args)).toMatch(
      /^reconnect-storm +clock ×1 \(true rates\): no backoff 3\/3 back in [\d.]+ s, peak \d+\/s$/m,
    );
    expect(await storm([...args, "--details"])).toContain(
      "clock ×1: the connect rates and times are true, measured at real time",
    );
  });
});
