import { describe, expect, it } from "vitest";
import { classifyText } from "../../../src/logs/classify.js";
import { detectDialect } from "../../../src/logs/line-format.js";
import { explainQuery } from "../../../src/signatures/explain-lookup.js";
import { incidents, readLogFixture } from "./log-fixture.js";

/**
 * A real ejabberd 23.01 log at its default level (info), written by test/helpers/ejabberd.ts's broker while raw
 * clients were kicked (keepalive 1 on 3.1.1, 2 on MQTT 5), sent a malformed PUBLISH, closed with FIN, RST and
 * DISCONNECT, took over a client id, sent four bad first packets (type 0, a CONNACK, a broken remaining length,
 * protocol level 7) and a CONNECT without a password. For machines without ejabberd: the live log is read by
 * test/integration/ejabberd/side-by-side.test.ts.
 */
const text = readLogFixture("ejabberd-real-23.01-info.log");

describe("ejabberd 23.01's log (real)", () => {
  it("is detected as ejabberd's from its first line", () => {
    expect(detectDialect(text.split("\n")[0] as string)).toBe("ejabberd");
  });

  it("classifies each client's incident; a takeover and a refused password leave none at info", () => {
    const summary = classifyText(text);
    expect(summary.files[0]?.dialect).toBe("ejabberd");
    expect(summary.unparsed).toEqual([]);
    expect(incidents(summary)).toEqual({
      "keepalive-timeout": [2, ["fx-kick-v4", "fx-kick-v5"]],
      "malformed-packet": [1, ["fx-malformed"]],
      // `Connection failed: connection closed`, for FIN and RST alike
      "peer-gone": [2, ["fx-fin", "fx-rst"]],
      // fx-bye, and the takeover's new connection at the end
      "clean-disconnect": [2, ["fx-bye", "fx-takeover"]],
      // `Rejected MQTT connection from 127.0.0.1: Protocol error: …`: no client id
      "bad-connect": [4, []],
    });
  });

  it("explain knows its lines, measured (not from a source), the debug-level takeover line too", () => {
    const [kick] = explainQuery(
      "2026-12-06 18:32:01.579753+00:00 [info] <0.460.0>@mod_mqtt_session:unregister_session/2:531 Closing MQTT session for mqdiag@localhost/fx-kick-v4 from 127.0.0.1: Idle connection",
    );
    expect(kick?.id).toBe("keepalive-timeout");
    const lines = kick?.templates.filter((t) => t.dialect === "ejabberd") ?? [];
    expect(lines).toHaveLength(1);
    expect(lines[0]?.fromSource).toBeUndefined();
    expect(kick?.fixes.map((f) => f.code)).toContain("ejabberd-client-keepalive");
    const [takeover] = explainQuery(
      "Closing MQTT session for u@localhost/dbg-take from 127.0.0.1: Replaced by <0.462.0> at nonode@nohost",
    );
    expect(takeover?.id).toBe("takeover");
    const [noConnect] = explainQuery("Rejected MQTT connection from 127.0.0.1: Idle connection");
    expect(noConnect?.id).toBe("connect-timeout");
  });
});
