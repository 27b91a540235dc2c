import { describe, expect, it } from "vitest";
import { SCENARIO_NAMES } from "../../../src/scenarios/catalogue.js";
import { CATALOGUE } from "../../../src/signatures/catalogue.js";
import { explainAll, explainQuery } from "../../../src/signatures/explain-lookup.js";
import { INCIDENT_KINDS, kindExplanation } from "../../../src/signatures/incident-kinds.js";
import { RV_MEANINGS } from "../../../src/signatures/rv.js";

describe("the explanations", () => {
  it("cover every catalogue signature and every incident kind, with versioned spec refs and real scenarios", () => {
    const all = explainAll();
    const ids = all.map((e) => e.id);
    for (const s of CATALOGUE) expect(ids).toContain(s.id);
    for (const k of INCIDENT_KINDS) expect(kindExplanation(k).id).toBe(k);
    for (const e of all) {
      expect(e.meaning.length).toBeGreaterThan(20);
      for (const r of e.specRefs) {
        expect(r.rule).toMatch(/^MQTT-\d+\.\d+\.\d+-\d+$/);
        expect(["3.1.1", "5.0"]).toContain(r.version);
      }
      if (e.scenario) expect(SCENARIO_NAMES).toContain(e.scenario);
    }
  });

  it("name the NanoMQ keepalive settings with their units, and the keepalive_backoff trap", () => {
    const [ka] = explainQuery("keepalive-timeout");
    const keys = ka?.fixes.map((f) => f.configKey);
    expect(keys).toEqual(
      expect.arrayContaining(["mqtt.keepalive_multiplier", "mqtt.retry_interval", "keepalive_backoff"]),
    );
    for (const f of ka?.fixes ?? []) if (f.configKey) expect(f.unit).toBeTruthy();
    expect(ka?.specRefs.map((r) => `${r.rule}@${r.version}`)).toEqual(
      expect.arrayContaining(["MQTT-3.1.2-24@3.1.1", "MQTT-3.1.2-22@5.0"]),
    );
  });

  it("explain every rv of docs/broker-facts.md; 139 follows every recv error", () => {
    expect(RV_MEANINGS.map((r) => r.rv).sort((a, b) => a - b)).toEqual([
      5, 13, 17, 31, 129, 130, 139, 149, 153,
    ]);
    for (const r of RV_MEANINGS) expect(explainQuery(String(r.rv))[0]?.rv?.rv).toBe(r.rv);
    expect(explainQuery("0x8b")[0]?.rv?.kinds).toEqual(
      expect.arrayContaining(["keepalive-timeout", "peer-gone", "takeover", "rejected-publish"]),
    );
    expect(explainQuery("42")).toEqual([]);
  });

  it("explain a pasted line by the signature it carries, with its rv", () => {
    expect(explainQuery("nni aio recv error!! Object closed").map((e) => e.id)).toEqual(["recv-error"]);
    const pasted = explainQuery(
      "2024-05-01 12:00:01 [7] WARN  broker_tcp.c:731 tcptran_pipe_recv_cb: tcptran_pipe_recv_cb: parse error rv: 129",
    );
    expect(pasted.map((e) => [e.id, e.rv?.rv])).toEqual([["parse-error", 129]]);
    expect(
      explainQuery("1714564816: Client s1 has exceeded timeout, disconnecting.").map((e) => e.id),
    ).toEqual(["keepalive-timeout"]);
    expect(explainQuery("recv_error rv: 17").map((e) => [e.id, e.rv?.rv])).toEqual([["parse-error", 17]]);
    expect(explainQuery("kick client due to KeepAlive").map((e) => e.id)).toEqual(["keepalive-timeout"]);
    expect(explainQuery("DECODE RETAIN MSG").map((e) => e.id)).toEqual(["retain-decode-failure"]);
    expect(explainQuery("nothing a broker ever said")).toEqual([]);
  });

  it("explain a nego rv line by its rv: 31 closed before CONNECT, 5 timed out, 13/153 bad CONNECT", () => {
    const id = (q: string) => explainQuery(q).map((e) => [e.id, e.rv?.rv]);
    expect(id("31")).toEqual([["closed-before-connect", 31]]);
    expect(id("connect nego error rv:(31)")).toEqual([["closed-before-connect", 31]]);
    expect(id("connect nego error rv: Connection shutdown(31)")).toEqual([["closed-before-connect", 31]]);
    expect(id("connect nego error rv: Timed out(5)")).toEqual([["connect-timeout", 5]]);
    expect(id("connect nego error rv:(13)")).toEqual([["bad-connect", 13]]);
    expect(id("connect nego error rv: Unknown error #153(153)")).toEqual([["bad-connect", 153]]);
    expect(id("nego aio error: Connection shutdown")).toEqual([["closed-before-connect", undefined]]);
    expect(explainQuery("closed-before-connect")[0]?.source).toBe("signature");
  });

  it("explain the lines NanoMQ prints that are no incident", () => {
    const sleep = explainQuery("2026-12-01 21:46:22 [10752] WARN  nmq_mqtt.c:184: sleep aio error 7");
    expect(sleep.map((e) => [e.id, e.source])).toEqual([["timer-cancelled", "known"]]);
    expect(explainQuery("pipe id 1846811449 is gone, pub failed").map((e) => e.id)).toEqual([
      "pub-to-gone-pipe",
    ]);
    expect(explainQuery("timer-cancelled")[0]?.meaning).toMatch(/NNG_ECLOSED/);
    // 0.25.3 prints the rv after the reason, 0.21.9 the reason alone (broker_tcp.c's send callbacks).
    for (const line of [
      "broker_tcp.c:608:  send aio error Object closed(7)",
      " send aio error Object closed",
    ])
      expect(explainQuery(line).map((e) => [e.id, e.source])).toEqual([["send-to-closed-pipe", "known"]]);
  });
});
