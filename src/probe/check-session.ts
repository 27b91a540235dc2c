import type { IConnackPacket } from "mqtt-packet";
import { type ConnectParams, connackCode, openSession, type RawSession } from "../mqtt-wire/raw-session.js";
import { sessionParams, transportOptions } from "./connect-params.js";
import type { CheckContext } from "./types.js";

export type StartedSession =
  | { ok: true; session: RawSession; connack: IConnackPacket }
  | { ok: false; reason: string };

/** Opens and connects a session for a check; when it is not accepted, the socket is already closed. */
export async function startSession(
  ctx: CheckContext,
  check: string,
  keepalive: number,
  extra: Partial<ConnectParams> = {},
): Promise<StartedSession> {
  // (extra may override protocolVersion, e.g. the malformed check speaks 3.1.1 as docs/broker-facts.md does)
  const params = { ...sessionParams(ctx, check, keepalive), ...extra };
  const { session, outcome } = await openSession(ctx.options.target, transportOptions(ctx.options), params);
  if (outcome.kind !== "connack") return { ok: false, reason: outcome.kind };
  const code = connackCode(outcome.connack);
  if (code !== 0) return { ok: false, reason: `connack-${code}` };
  return { ok: true, session, connack: outcome.connack };
}

/**
 * A control before a check's decisive step: one PINGREQ, waiting (bounded) for the PINGRESP or the close. True
 * when the session is still open afterwards, so a close seen later is the broker's answer to that step and not
 * a broker that closes every connection anyway. A broker that never answers PINGREQ costs `timeoutMs` here.
 */
export async function stillOpen(session: RawSession, ctx: CheckContext): Promise<boolean> {
  if (session.isClosed) return false;
  session.send({ cmd: "pingreq" }, ctx.version);
  await session.waitFor("pingresp", ctx.options.timeoutMs);
  return !session.isClosed;
}
