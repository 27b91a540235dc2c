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

  // MQTT-C runs for real only built from its source tree: without MQDIAG_MQTT_C_SRC its model plays it, and the
  // report says why (not silently)
  const noSource = { env: { MQDIAG_MQTT_C_SRC: "" } };
  const notReal =
    " mqtt-c ran as its model: the real library cannot run here: MQTT-C's source is not given (set MQDIAG_MQTT_C_SRC to the MQTT-C 1.1.6 source tree";
  const words = (text: string) => text.replace(/\s+/g, " ");

  it.concurrent("MQTT-C without MQDIAG_MQTT_C_SRC: its model runs, and the table and JSON say why", async () => {
    const args = [
      "scenario",
      "client-library",
      "--client",
      "mqtt-c",
      "--keepalive",
      "3",
      "--retry-interval",
      "1",
    ];
    const more = ["--keepalive-multiplier", "1.25", "--loop-interval", "1.5s"];
    const [table, json] = await Promise.all([
      runCli([...args, ...more], noSource),
      runCli([...args, ...more, "--format", "json"], noSource),
    ]);
    // the default (glance) view: its one sentence, then why the real one did not run
    expect(table.stdout).toMatch(
      /^client-library +MQTT-C 1\.1\.6's model kicked at 5\.5 s: pings every 6\.0 s, broker kicks at 5\.5 s$/m,
    );
    expect(words(table.stdout)).toContain(notReal);
    const s = JSON.parse(json.stdout).scenarios[0];
    const subject = s.clients.find((c: { control: boolean }) => !c.control);
    expect(subject.library).toEqual({
      id: "mqtt-c",
      version: "1.1.6",
      real: false,
      notRealBecause: expect.stringMatching(/^MQTT-C's source is not given \(set MQDIAG_MQTT_C_SRC/),
    });
    expect(s.clientLibrary.library).toMatchObject({
      real: false,
      notRealBecause: subject.library.notRealBecause,
    });
  }, 30_000);

  it.concurrent("the other --client scenarios say it too (half-open)", async () => {
    const args = ["scenario", "half-open", "--client", "mqtt-c", "--keepalive", "2", "--retry-interval", "1"];
    const [glance, details] = await Promise.all([
      runCli(args, noSource),
      runCli([...args, "--details"], noSource),
    ]);
    expect(words(glance.stdout)).toContain(notReal);
    expect(words(details.stdout)).toContain(
      "MQTT-C 1.1.6 (its model: the real library cannot run here: MQTT-C's source is not given",
    );
  }, 30_000);
});
