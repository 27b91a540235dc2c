import { describe, expect, it } from "vitest";
import * as api from "../../src/index.js";

describe("the programmatic API (CONTRIBUTING.md: runScenario, probe, classifyLog, startBroker)", () => {
  it("exports the functions the design names", () => {
    for (const name of [
      "runScenario",
      "runScenarios",
      "probe",
      "runProbe",
      "classifyLog",
      "classifyText",
      "startBroker",
      "scaledClock",
    ]) {
      expect(typeof (api as Record<string, unknown>)[name], name).toBe("function");
    }
  });

  it("classifies a log text into incidents", () => {
    const summary = api.classifyText(
      [
        "2024-05-01 12:00:00 [7] WARN /nng/src/sp/protocol/mqtt/nmq_mqtt.c:302 nano_pipe_timer_cb: Warning: close pipe & kick client due to KeepAlive timeout!",
        "2024-05-01 12:00:00 [7] WARN /nng/src/sp/transport/mqtt/broker_tcp.c:731 tcptran_pipe_recv_cb: nni aio recv error!! Object closed",
        "2024-05-01 12:00:00 [7] WARN /nng/src/sp/transport/mqtt/broker_tcp.c:731 tcptran_pipe_recv_cb: tcptran_pipe_recv_cb: parse error rv: 139",
      ].join("\n"),
    );
    expect([...summary.incidents.values()].map((i) => [i.kind, i.count])).toEqual([["keepalive-timeout", 1]]);
  });
});
