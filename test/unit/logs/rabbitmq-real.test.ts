import { describe, expect, it } from "vitest";
import { classifyText } from "../../../src/logs/classify.js";
import { detectDialect } from "../../../src/logs/line-format.js";
import { explainQuery } from "../../../src/signatures/explain-lookup.js";
import { incidents, readLogFixture } from "./log-fixture.js";

/**
 * A real RabbitMQ 3.10.8 log at its default level (info), written by test/helpers/rabbitmq.sh's broker while raw
 * clients sent the malformed variants, took over a client id, closed with FIN, RST and DISCONNECT, sent CONNECT
 * twice, were kicked after PINGREQs at 0.6/1.2/1.8 s (keepalive 1), never sent CONNECT, and sent an MQTT 5 CONNECT,
 * a bad MQTT 3.1 CONNECT and an `MQTT` CONNECT of level 3. The QoS 3 PUBLISH crashed its connection's process: a
 * multi-line Erlang report that is no incident mqdiag knows.
 */
const text = readLogFixture("rabbitmq-real-3.10.8-info.log");

describe("RabbitMQ 3.10's log (real)", () => {
  it("is detected as RabbitMQ's from its first line", () => {
    expect(detectDialect(text.split("\n")[0] as string)).toBe("rabbitmq");
  });

  it("classifies each client's incident, naming clients through the connection's process", () => {
    const summary = classifyText(text);
    expect(summary.files[0]?.dialect).toBe("rabbitmq");
    expect(incidents(summary)).toEqual({
      // `closing MQTT connection "<conn>" (keepalive timeout)`: the id from the same process' accepting line
      "keepalive-timeout": [3, ["fx-ping-1200", "fx-ping-1800", "fx-ping-600"]],
      // the old connection's warning
      takeover: [1, ["fx-takeover"]],
      // `(login timeout)`: a process that accepted no CONNECT names no client
      "connect-timeout": [1, []],
      // `MQTT` with level 3
      "bad-connect": [1, []],
      // `cannot parse a frame`: the PUBLISH without a topic, and before any CONNECT the MQTT 5 and the bad 3.1 ones
      "malformed-packet": [3, ["fx-mal-publish-empty"]],
      "protocol-error": [1, ["fx-twice"]],
      "clean-disconnect": [1, ["fx-disconnect"]],
      // FIN and RST read the same; the malformed variants RabbitMQ 3.10 tolerates end with the client's FIN
      "peer-gone": [
        11,
        [
          "fx-fin",
          "fx-mal-packet-type-0",
          "fx-mal-pingreq-flags",
          "fx-mal-publish-bad-utf8-topic",
          "fx-mal-publish-qos1-packet-id-0",
          "fx-mal-publish-wildcard-topic",
          "fx-mal-remaining-length-overflow",
          "fx-mal-subscribe-empty",
          "fx-rst",
          "fx-takeover",
          "fx-twice",
        ],
      ],
    });
  });

  it("`mqdiag explain` finds the keepalive and takeover lines, marked measured, not from the source", () => {
    const [kick] = explainQuery(
      '2026-12-06 17:50:51.436613+00:00 [error] <0.6699.0> closing MQTT connection "127.0.0.1:43684 -> 127.0.0.1:41499" (keepalive timeout)',
    );
    expect(kick?.id).toBe("keepalive-timeout");
    const rabbit = kick?.templates.filter((t) => t.dialect === "rabbitmq") ?? [];
    expect(rabbit).toHaveLength(1);
    expect(rabbit[0]?.fromSource).toBeUndefined();
    const [takeover] = explainQuery(
      "MQTT disconnecting client \"127.0.0.1:43626 -> 127.0.0.1:41499\" with duplicate id 'fx-takeover'",
    );
    expect(takeover?.id).toBe("takeover");
  });
});
