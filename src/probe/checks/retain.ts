import { createHash, randomBytes } from "node:crypto";
import type { Packet } from "mqtt-packet";
import { round } from "../../core/round.js";
import type { RawSession } from "../../mqtt-wire/raw-session.js";
import { startSession } from "../check-session.js";
import type { FindingOf } from "../findings.js";
import type { CheckContext } from "../types.js";

const SPEC_REF = "[MQTT-3.3.1-5] / [MQTT-3.3.1-10] (3.1.1)";
const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

/** The topic the retain check writes under: `<prefix>/<run id>/retain`. */
export function retainTopic(prefix: string, runId: string): string {
  return `${prefix.replace(/\/+$/, "")}/${runId}/retain`;
}

/**
 * `retain`: a retained, hashed payload under a private prefix, read back intact by a fresh subscriber, then
 * deleted with a zero-length retained PUBLISH and confirmed gone. The probe leaves nothing behind; when the
 * delete cannot be confirmed, `measured.leftBehind` says exactly which topic is left.
 */
export async function checkRetain(ctx: CheckContext): Promise<FindingOf<"retain">> {
  const { options } = ctx;
  const topic = retainTopic(options.retainPrefix, options.runId);
  const payload = randomBytes(48);
  const hash = sha256(payload);
  const own = { id: "retain", specRef: SPEC_REF } as const;
  const head = { topic, sha256: hash };

  let stored = false;
  let readBack: Packet | undefined;
  let readBackMs: number | null = null;
  let reason: string | undefined;
  try {
    stored = await publishRetained(ctx, "retain-pub", topic, payload);
    if (stored) {
      const started = options.clock.now();
      const read = await readRetained(ctx, "retain-sub", topic);
      reason = read.reason;
      readBack = read.packet;
      if (readBack) readBackMs = round(options.clock.now() - started);
    }
  } finally {
    // Delete even when the PUBACK never came: the broker may have stored the message anyway.
    await publishRetained(ctx, "retain-del", topic, Buffer.alloc(0)).catch(() => false);
  }
  const gone = await readRetained(ctx, "retain-check", topic).catch(
    (): Awaited<ReturnType<typeof readRetained>> => ({ reason: "unreachable" }),
  );
  const leftBehind = gone.packet || gone.reason ? [topic] : [];
  const cleanup = { deleted: leftBehind.length === 0, leftBehind };
  if (!stored) return { ...own, status: "error", code: "publish-failed", measured: { ...head, ...cleanup } };
  if (reason && !readBack)
    return { ...own, status: "error", code: "no-session", measured: { ...head, reason, ...cleanup } };
  if (readBack?.cmd !== "publish")
    return { ...own, status: "fail", code: "not-retained", measured: { ...head, readBackMs, ...cleanup } };
  const got = Buffer.from(readBack.payload);
  if (sha256(got) !== hash) {
    return {
      ...own,
      status: "fail",
      code: "corrupted",
      measured: { ...head, readBackMs, gotSha256: sha256(got), gotBytes: got.length, ...cleanup },
    };
  }
  if (leftBehind.length > 0) {
    const code = gone.reason ? "cleanup-unconfirmed" : "not-deleted";
    return { ...own, status: "fail", code, measured: { ...head, ...cleanup } };
  }
  return {
    ...own,
    status: "pass",
    code: "intact",
    measured: { ...head, readBackMs, bytes: payload.length, ...cleanup },
  };
}

/** Publishes a retained QoS 1 message and waits for its PUBACK; false when that did not happen. */
async function publishRetained(ctx: CheckContext, check: string, topic: string, payload: Buffer) {
  const started = await startSession(ctx, check, 60);
  if (!started.ok) return false;
  const { session } = started;
  try {
    session.send(
      { cmd: "publish", topic, payload, qos: 1, retain: true, dup: false, messageId: 1 },
      ctx.version,
    );
    const ack = await session.waitFor("puback", ctx.options.timeoutMs);
    session.send({ cmd: "disconnect" }, ctx.version);
    return ack !== undefined;
  } finally {
    session.destroy();
  }
}

/** Subscribes with a fresh session and returns the retained PUBLISH on `topic` if the broker delivers one. */
async function readRetained(
  ctx: CheckContext,
  check: string,
  topic: string,
): Promise<{ packet?: Packet; reason?: string }> {
  const started = await startSession(ctx, check, 60);
  if (!started.ok) return { reason: started.reason };
  const { session } = started;
  try {
    return await subscribeAndCollect(ctx, session, topic);
  } finally {
    session.send({ cmd: "disconnect" }, ctx.version);
    session.destroy();
  }
}

async function subscribeAndCollect(ctx: CheckContext, session: RawSession, topic: string) {
  const { timeoutMs } = ctx.options;
  const retained = session.waitFor((p) => p.cmd === "publish" && p.topic === topic && p.retain, timeoutMs);
  session.send({ cmd: "subscribe", messageId: 1, subscriptions: [{ topic, qos: 1 }] }, ctx.version);
  const suback = await session.waitFor("suback", timeoutMs);
  if (!suback) return { reason: "no-suback" };
  // Retained messages follow the SUBACK; a PINGRESP after them bounds the wait without guessing a delay.
  session.send({ cmd: "pingreq" }, ctx.version);
  const pong = await Promise.race([session.waitFor("pingresp", timeoutMs), retained]);
  if (pong?.cmd === "publish") return { packet: pong };
  const grace = await Promise.race([retained, ctx.options.clock.sleep(200).then(() => undefined)]);
  return grace ? { packet: grace } : {};
}
