import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

/** Issue 11, item 4: the advice is for the broker whose log it is; explain groups its fixes by broker. */
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/logs/${name}`, import.meta.url));

interface Advice {
  kind: string;
  broker: string | null;
  fixes: { code: string; broker: string }[];
}

async function advice(file: string): Promise<Advice[]> {
  const r = await runCli(["logs", fixture(file), "--format", "json"]);
  expect(r.code).toBe(0);
  return (JSON.parse(r.stdout) as { advice: Advice[] }).advice;
}

const keepaliveCodes = (a: Advice[]) =>
  a.find((x) => x.kind === "keepalive-timeout")?.fixes.map((f) => f.code);

describe("advice for the broker at hand", () => {
  it("a mosquitto log: mosquitto's keepalive levers first, none of NanoMQ's", async () => {
    const a = await advice("mosquitto-2.0.log");
    expect(a.every((x) => x.broker === "mosquitto")).toBe(true);
    expect(keepaliveCodes(a)).toEqual([
      "mosquitto-client-keepalive",
      "mosquitto-max-keepalive",
      "mosquitto-sweep",
      "client-ping-within-keepalive",
    ]);
    for (const x of a) for (const f of x.fixes) expect(["mosquitto", "any"]).toContain(f.broker);
  });

  it.each(["nanomq-real-0.25.3-file.log", "nanomq-0.21.9-console.log"])(
    "a NanoMQ log (%s): NanoMQ's levers, none of mosquitto's",
    async (file) => {
      const a = await advice(file);
      expect(a.every((x) => x.broker === "nanomq")).toBe(true);
      expect(keepaliveCodes(a)).toEqual([
        "nanomq-keepalive-multiplier",
        "nanomq-retry-interval",
        "nanomq-keepalive-backoff-trap",
        "client-ping-within-keepalive",
      ]);
      for (const x of a) for (const f of x.fixes) expect(["nanomq", "any"]).toContain(f.broker);
    },
  );

  it("the mosquitto log's table advice (--details) names no NanoMQ setting", async () => {
    const r = await runCli(["logs", fixture("mosquitto-2.0.log"), "--details"]);
    expect(r.stdout).toMatch(/max_keepalive/);
    expect(r.stdout).not.toMatch(/keepalive_multiplier|retry_interval|keepalive_backoff/);
  });

  it("explain --format json tags every fix; the table groups them by broker, measured ones first, any broker last", async () => {
    const j = await runCli(["explain", "keepalive-timeout", "--format", "json"]);
    const fixes = (JSON.parse(j.stdout) as { entries: { fixes: { code: string; broker: string }[] }[] })
      .entries[0]?.fixes;
    expect(fixes?.map((f) => f.broker)).toEqual([
      "nanomq",
      "nanomq",
      "nanomq",
      "mosquitto",
      "mosquitto",
      "mosquitto",
      "emqx",
      "emqx",
      "emqx",
      "hivemq",
      "vernemq",
      "rabbitmq",
      "ejabberd",
      "any",
    ]);
    const t = await runCli(["explain", "keepalive-timeout"]);
    const headings = t.stdout.split("\n").filter((l) => l.startsWith("Fix"));
    expect(headings).toEqual([
      "Fix (NanoMQ)",
      "Fix (mosquitto)",
      "Fix (ejabberd mod_mqtt)",
      "Fix (RabbitMQ MQTT plugin)",
      "Fix (EMQX, from its source)",
      "Fix (HiveMQ CE, from its source)",
      "Fix (VerneMQ, from its source)",
      "Fix (any broker)",
    ]);
  });
});
