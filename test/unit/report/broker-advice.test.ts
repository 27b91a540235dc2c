import { describe, expect, it } from "vitest";
import { adviceFixes, adviceLines } from "../../../src/report/logs-advice.js";
import { brokerOf, FIX_BROKERS, fixesFor, fixGroups } from "../../../src/signatures/explain-fixes.js";
import { SIGNATURE_EXPLANATIONS } from "../../../src/signatures/explanations.js";
import { INCIDENT_KINDS, kindExplanation } from "../../../src/signatures/incident-kinds.js";

/** Issue 11, item 4: fixes are tagged with the broker they apply to; advice follows the broker at hand. */
const keepalive = SIGNATURE_EXPLANATIONS["keepalive-timeout"];
const codes = (fixes: readonly { code: string }[]) => fixes.map((f) => f.code);

describe("fix tags", () => {
  it("every fix of every signature and incident kind has a code and a broker tag", () => {
    const all = [
      ...Object.values(SIGNATURE_EXPLANATIONS),
      ...INCIDENT_KINDS.map((k) => kindExplanation(k)),
    ].flatMap((e) => e.fixes);
    expect(all.length).toBeGreaterThan(15);
    for (const f of all) {
      expect(f.code).toMatch(/^[a-z0-9-]+$/);
      expect(FIX_BROKERS).toContain(f.broker);
    }
  });

  it("a fix's code names one fix: the same code, the same broker", () => {
    const byCode = new Map<string, string>();
    for (const e of Object.values(SIGNATURE_EXPLANATIONS))
      for (const f of e.fixes) {
        expect(byCode.get(f.code) ?? f.broker).toBe(f.broker);
        byCode.set(f.code, f.broker);
      }
  });

  it("keepalive-timeout: NanoMQ's, mosquitto's, ejabberd's and RabbitMQ's levers, those from EMQX/HiveMQ/VerneMQ sources and the client's, each tagged", () => {
    expect(fixGroups(keepalive.fixes).map((g) => [g.broker, codes(g.fixes)])).toEqual([
      ["nanomq", ["nanomq-keepalive-multiplier", "nanomq-retry-interval", "nanomq-keepalive-backoff-trap"]],
      ["mosquitto", ["mosquitto-client-keepalive", "mosquitto-max-keepalive", "mosquitto-sweep"]],
      ["ejabberd", ["ejabberd-client-keepalive"]],
      ["rabbitmq", ["rabbitmq-client-keepalive"]],
      ["emqx", ["emqx-keepalive-multiplier", "emqx-keepalive-check-interval", "emqx-upgrade-keepalive"]],
      ["hivemq", ["hivemq-client-keepalive"]],
      ["vernemq", ["vernemq-client-keepalive"]],
      ["any", ["client-ping-within-keepalive"]],
    ]);
    // the key a fix names is its broker's
    for (const f of keepalive.fixes) {
      if (f.broker === "mosquitto" && f.configKey)
        expect(f.configKey).not.toMatch(/^mqtt\.|keepalive_backoff/);
      if (f.broker === "nanomq") expect(f.configKey).toMatch(/^mqtt\.|keepalive_backoff/);
    }
  });
});

describe("advice for the broker at hand", () => {
  it("a mosquitto log's keepalive advice starts with mosquitto's levers and has none of NanoMQ's", () => {
    const shown = codes(adviceFixes(keepalive, "mosquitto"));
    expect(shown).toEqual([
      "mosquitto-client-keepalive",
      "mosquitto-max-keepalive",
      "mosquitto-sweep",
      "client-ping-within-keepalive",
    ]);
    expect(adviceLines(keepalive, "mosquitto").join("\n")).not.toMatch(
      /keepalive_multiplier|retry_interval|keepalive_backoff/,
    );
  });

  it("a NanoMQ log's keepalive advice: retry_interval, keepalive_multiplier, the keepalive_backoff trap; no max_keepalive", () => {
    expect(codes(adviceFixes(keepalive, "nanomq"))).toEqual([
      "nanomq-keepalive-multiplier",
      "nanomq-retry-interval",
      "nanomq-keepalive-backoff-trap",
      "client-ping-within-keepalive",
    ]);
    expect(adviceLines(keepalive, "nanomq").join("\n")).not.toMatch(/max_keepalive/);
  });

  it("a RabbitMQ log's keepalive advice: its measured rule and the client's pinging, no other broker's levers", () => {
    expect(codes(adviceFixes(keepalive, "rabbitmq"))).toEqual([
      "rabbitmq-client-keepalive",
      "client-ping-within-keepalive",
    ]);
  });

  it("without a known broker (spec dialect, mixed logs) every fix is shown, grouped and tagged", () => {
    expect(codes(adviceFixes(keepalive, undefined))).toEqual(
      codes(fixGroups(keepalive.fixes).flatMap((g) => g.fixes)),
    );
    const text = adviceLines(keepalive, undefined).join("\n");
    expect(text).toMatch(/- NanoMQ: /);
    expect(text).toMatch(/- mosquitto: /);
  });

  it("fixes for any broker apply everywhere; another broker's never", () => {
    for (const e of Object.values(SIGNATURE_EXPLANATIONS))
      for (const broker of ["nanomq", "mosquitto"] as const) {
        const shown = fixesFor(e.fixes, broker);
        expect(shown.every((f) => f.broker === broker || f.broker === "any")).toBe(true);
        expect(shown.filter((f) => f.broker === "any")).toEqual(e.fixes.filter((f) => f.broker === "any"));
      }
  });

  it("the broker of a log dialect", () => {
    expect([
      brokerOf("nanomq"),
      brokerOf("mosquitto"),
      brokerOf("spec"),
      brokerOf("mixed"),
      brokerOf(undefined),
    ]).toEqual(["nanomq", "mosquitto", undefined, undefined, undefined]);
  });
});
