import { describe, expect, it } from "vitest";
import type { Broker } from "../../../src/broker/index.js";
import { mosquittoReaction } from "../../../src/broker/profiles/mosquitto-measured.js";
import { NANOMQ_LATEST } from "../../../src/core/profile.js";
import { MALFORMED_VARIANTS, type MalformedVariant } from "../../../src/fleet/malformed.js";
import { fillTemplate, findTemplate } from "../../../src/signatures/render.js";
import { broker, connectBytes, type RawSocket, raw, until } from "./helpers.js";
import { messageOf } from "./lines.js";

interface Outcome {
  lines: string[];
  closed: boolean;
  how: "fin" | "reset" | "open";
  reply: string;
}

/** Sends a variant on a fresh 3.1.1 connection (after CONNECT unless it replaces it) and records the outcome. */
async function play(b: Broker, variant: MalformedVariant, clientId: string): Promise<Outcome> {
  const s: RawSocket = await raw(b);
  let replyFrom = 0;
  if (!variant.beforeConnect) {
    s.socket.write(connectBytes(clientId));
    await until(() => s.received().length >= 4, 5000, "CONNACK");
    replyFrom = 4;
  }
  await until(() => b.logLines().length > 0 || b.profile.profile !== "mosquitto", 5000, "accept line");
  const from = b.logLines().length;
  s.socket.write(variant.bytes);
  // a close, or 300 ms in which none came: a broker left mid-frame may wait for more bytes, so no packet can fence it
  const how = await Promise.race([s.closed, new Promise<"open">((r) => setTimeout(() => r("open"), 300))]);
  return {
    lines: b
      .logLines()
      .slice(from)
      .filter((l) => l.signature !== "client-offline")
      .map((l) => messageOf(b.profile.profile, l.line)),
    closed: s.isClosed(),
    how,
    reply: s.received().subarray(replyFrom).toString("hex"),
  };
}

const SPEC_MALFORMED = "client bad sent a malformed packet, closed [MQTT-4.8.0-1]";
const SPEC_PROTOCOL = "client bad violated the protocol, closed [MQTT-4.8.0-1]";
const SPEC: Record<string, string[]> = {
  "remaining-length-overflow": [SPEC_MALFORMED],
  "publish-qos3": [SPEC_MALFORMED],
  "publish-qos1-packet-id-0": [SPEC_PROTOCOL],
  "publish-empty": [SPEC_MALFORMED],
  "subscribe-empty": [SPEC_MALFORMED],
  "publish-wildcard-topic": [SPEC_PROTOCOL],
  "publish-bad-utf8-topic": [SPEC_MALFORMED],
  "packet-type-0": [SPEC_MALFORMED],
  "pingreq-flags": [SPEC_MALFORMED],
};

describe("spec profile: every malformed variant closes the connection [MQTT-4.8.0-1], no reply on 3.1.1", () => {
  it.each(MALFORMED_VARIANTS.map((v) => [v.name, v] as const))("%s", async (name, variant) => {
    const b = await broker({ profile: "spec" });
    const outcome = await play(b, variant, "bad");
    const lines =
      name === "garbage-before-connect"
        ? [
            expect.stringMatching(
              /^connection from 127\.0\.0\.1:\d+ did not start with CONNECT, closed \[MQTT-3\.1\.0-1\]$/,
            ),
          ]
        : SPEC[name];
    expect(outcome).toEqual({ lines, closed: true, how: "fin", reply: "" });
    expect(b.stats().internalErrors).toBe(0);
  });
});

describe("mosquitto profile: every malformed variant as the measured table says (3.1.1)", () => {
  it.each(MALFORMED_VARIANTS.map((v) => [v.name, v] as const))("%s", async (name, variant) => {
    const measured = mosquittoReaction(name, 4);
    if (!measured) throw new Error(`no measured row for ${name}`);
    const clientId = variant.beforeConnect ? "<unknown>" : "bad";
    const refs = [...(measured.preceding ?? []), ...(measured.signature ? [measured.signature] : [])];
    const lines = refs.map((ref) => {
      const template = findTemplate(ref.id, ref.key, "mosquitto", NANOMQ_LATEST);
      if (!template) throw new Error(`no mosquitto template ${ref.id}/${ref.key}`);
      return fillTemplate(template.text, { clientId });
    });
    const b = await broker({ profile: "mosquitto" });
    const outcome = await play(b, variant, "bad");
    expect(outcome).toEqual({
      lines,
      closed: measured.closes,
      how: measured.closes ? (measured.closeKind === "rst" ? "reset" : "fin") : "open",
      reply: measured.reply ?? "",
    });
    expect(b.stats().internalErrors).toBe(0);
  });
});
