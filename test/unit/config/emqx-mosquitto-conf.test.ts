import { describe, expect, it } from "vitest";
import { detectConfBroker } from "../../../src/config/conf-broker.js";
import { configExitStatus } from "../../../src/config/config-report.js";
import { interpretEmqxConf } from "../../../src/config/emqx-conf.js";
import { buildEmqxConfigReport } from "../../../src/config/emqx-config-report.js";
import { interpretMosquittoConf } from "../../../src/config/mosquitto-conf.js";
import { configFindingMessage } from "../../../src/report/config-messages.js";

// EMQX's reading of these settings is from its source (emqx_schema.erl), not run.
describe("emqx.conf keepalive settings", () => {
  it("a keepalive_backoff beside a multiplier other than 1.5 is ignored", () => {
    const conf = interpretEmqxConf("mqtt {\n  keepalive_multiplier = 2\n  keepalive_backoff = 0.75\n}\n");
    expect(conf.effectiveMultiplier).toBe(2);
    const f = conf.findings.find((x) => x.code === "emqx-keepalive-backoff");
    expect(f && configFindingMessage(f)).toMatch(/is ignored: keepalive_multiplier = 2 \(line 2\)/);
  });

  it("the last setting wins across a block and a dotted key; a backoff under 0.5 makes a multiplier EMQX refuses", () => {
    const conf = interpretEmqxConf("mqtt { keepalive_backoff = 0.75 }\nmqtt.keepalive_backoff = 0.4\n");
    expect(conf.backoff).toMatchObject({ value: 0.4, line: 2 });
    expect(conf.effectiveMultiplier).toBe(0.8);
    expect(configExitStatus(buildEmqxConfigReport("emqx.conf", conf, [60]))).toBe(1);
  });

  it("durations: 1m is 60 s, a bare number is ms, an unreadable one is an error", () => {
    expect(interpretEmqxConf("mqtt.keepalive_check_interval = 1m").effectiveCheckIntervalMs).toBe(60_000);
    expect(interpretEmqxConf("mqtt.keepalive_check_interval = 250").effectiveCheckIntervalMs).toBe(250);
    const bad = interpretEmqxConf('mqtt.keepalive_check_interval = "soon"');
    expect(bad.findings.map((f) => [f.code, f.severity])).toEqual([["value-unreadable", "error"]]);
  });
});

describe("mosquitto.conf and which broker a config is for", () => {
  it("max_keepalive: the last line wins; a value over 65535 is refused; under 10 flagged", () => {
    expect(
      interpretMosquittoConf("max_keepalive 30\n# max_keepalive 5\nmax_keepalive 90\n").maxKeepalive,
    ).toEqual({
      value: 90,
      raw: "90",
      line: 3,
    });
    expect(interpretMosquittoConf("max_keepalive 70000").findings[0]?.code).toBe("value-unreadable");
    expect(interpretMosquittoConf("max_keepalive 5").findings[0]?.code).toBe("mosquitto-max-keepalive-small");
  });

  it.each([
    ["/etc/emqx/emqx.conf", "", "emqx"],
    ["/etc/mosquitto/mosquitto.conf", "", "mosquitto"],
    ["a.conf", "listener 1883\nallow_anonymous true\n", "mosquitto"],
    ["a.conf", "allow_anonymous=true\nqos_duration=10\n", "nanomq"], // NanoMQ's flat format writes key=value
    ["a.conf", "node.name = emqx@host\n", "emqx"],
    ["a.conf", "listener {\n  port = 1883\n}\npersistence: false\n", "nanomq"], // HOCON, not mosquitto's syntax
    ["a.conf", "mqtt { retry_interval = 10s, keepalive_check_interval = 5s }\n", "nanomq"],
    ["a.conf", "mqtt { keepalive_multiplier = 1.25 }\n", "nanomq"],
  ] as const)("%s %j → %s", (path, text, broker) => {
    expect(detectConfBroker(path, text)).toBe(broker);
  });
});
