import { describe, expect, it } from "vitest";
import { classifyText } from "../../../src/logs/classify.js";
import { detectDialect, parsePrefix } from "../../../src/logs/line-format.js";
import { brokerOf, fixesFor } from "../../../src/signatures/explain-fixes.js";
import { explainQuery } from "../../../src/signatures/explain-lookup.js";
import { incidents, readLogFixture } from "./log-fixture.js";

// The fixtures are built from each broker's format strings (test/fixtures/logs/SOURCE-BUILT.md), not from a run.

describe("log dialects built from broker sources", () => {
  it.each([
    [
      "emqx-5.8-text.log",
      "emqx",
      {
        "keepalive-timeout": [2, ["sensor-1", "sensor-6"]],
        takeover: [2, ["sensor-2", "sensor-3"]], // {shutdown,takenover} and {shutdown,discarded}
        "peer-gone": [1, ["sensor-4"]],
        "clean-disconnect": [1, ["sensor-5"]],
        "connect-timeout": [1, []], // {shutdown,idle_timeout}: no CONNECT, no clientid
      },
      [10],
    ],
    [
      "emqx-5.3-text.log", // 5.1–5.5: clientid after msg
      "emqx",
      { "keepalive-timeout": [1, ["sensor-1"]], takeover: [1, ["sensor-2"]], "connect-timeout": [1, []] },
      [],
    ],
    [
      "emqx-5.8-json.log",
      "emqx",
      {
        "keepalive-timeout": [1, ["sensor-1"]],
        takeover: [1, ["sensor-2"]],
        "peer-gone": [1, ["sensor-3"]],
        "connect-timeout": [1, []],
      },
      [],
    ],
    [
      "hivemq-event.log",
      "hivemq",
      {
        "keepalive-timeout": [1, ["sensor-1"]],
        takeover: [1, ["sensor-2"]],
        "peer-gone": [1, ["sensor-3"]],
        "connect-timeout": [1, []],
        "clean-disconnect": [2, ["sensor-4", "sensor-5"]],
      },
      [],
    ],
    [
      "vernemq-2-extended.log",
      "vernemq",
      { "keepalive-timeout": [2, ["sensor-1", "sensor-2"]], "protocol-error": [1, ["sensor-3"]] },
      [],
    ],
    ["vernemq-1-lager.log", "vernemq", { "keepalive-timeout": [2, ["sensor-1", "sensor-2"]] }, []],
    ["vernemq-2-simple.log", "vernemq", { "keepalive-timeout": [1, ["sensor-1"]] }, []],
  ] as const)("%s: dialect %s, incidents and client ids", (file, dialect, expected, unparsed) => {
    const s = classifyText(readLogFixture(file));
    expect(s.files[0]?.dialect).toBe(dialect);
    expect(incidents(s)).toEqual(expected);
    expect(s.unparsed).toEqual(unparsed);
  });

  it("EMQX's debug emqx_connection_terminated line beside terminate is not a second kick", () => {
    const s = classifyText(readLogFixture("emqx-5.8-text.log"));
    expect(s.signatures.get("keepalive-timeout")?.count).toBe(2);
  });

  it("timestamps: RFC 3339 with offset, epoch µs (zoned); HiveMQ and lager local time with ms", () => {
    const at = (line: string) => {
      const d = detectDialect(line);
      return d && parsePrefix(line, d)?.time;
    };
    expect(at("2024-02-01T12:00:00.000001+01:00 [info] msg: x")).toEqual({
      ms: Date.UTC(2024, 1, 1, 11),
      zoned: true,
    });
    expect(at('{"time":1751960220100000,"level":"info","msg":"x"}')).toEqual({
      ms: 1751960220100,
      zoned: true,
    });
    expect(at("2024-05-01 10:00:07,223 - Client ID: a, IP: b disconnected gracefully.")).toEqual({
      ms: Date.UTC(2024, 4, 1, 10, 0, 7, 223),
      zoned: false,
    });
    expect(at("2020-08-04 10:00:01.456 [warning] <0.1.0>@vmq_mqtt_fsm:connected:442 client x")?.ms).toBe(
      Date.UTC(2020, 7, 4, 10, 0, 1, 456),
    );
    // VerneMQ 2's extended prefix is not read as EMQX's
    expect(
      detectDialect("2024-05-01T10:00:00.123456+00:00 [warning] <0.2.0> vmq_mqtt_fsm:connected/2:585: x"),
    ).toBe("vernemq");
  });

  it("explain: a pasted EMQX line is a keepalive kick, its lines marked as from the source; EMQX's own fixes", () => {
    const [entry] = explainQuery(
      "2025-07-08T07:37:00.100000+00:00 [info] clientid: s1, msg: terminate, peername: 10.0.0.5:50442, reason: {shutdown,keepalive_timeout}",
    );
    expect(entry?.id).toBe("keepalive-timeout");
    expect(entry?.templates.filter((t) => t.fromSource).map((t) => t.dialect)).toEqual([
      "emqx",
      "emqx",
      "hivemq",
      "vernemq",
    ]);
    const codes = fixesFor(entry?.fixes ?? [], brokerOf("emqx")).map((f) => f.code);
    expect(codes).toEqual([
      "emqx-keepalive-multiplier",
      "emqx-keepalive-check-interval",
      "emqx-upgrade-keepalive",
      "client-ping-within-keepalive",
    ]);
    expect(
      explainQuery(
        "Client ID: c9, IP: 10.0.0.1 was disconnected. reason: Another client connected with the same client id..",
      )[0]?.id,
    ).toBe("takeover");
    expect(
      explainQuery('client {[],<<"c9">>} with username undefined stopped due to keepalive expired')[0]?.id,
    ).toBe("keepalive-timeout");
  });
});
