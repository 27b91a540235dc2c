import { round } from "../../core/round.js";
import { MALFORMED_VARIANTS, type MalformedVariant, malformedVariant } from "../../fleet/malformed.js";
import { RawSession } from "../../mqtt-wire/raw-session.js";
import { startSession, stillOpen } from "../check-session.js";
import { transportOptions } from "../connect-params.js";
import type { FindingOf, MalformedOutcome } from "../findings.js";
import type { CheckContext } from "../types.js";

/** The variants `malformed` sends by default; `--deep` sends the whole table of docs/broker-facts.md. */
export const QUICK_VARIANTS = ["remaining-length-overflow", "packet-type-0"] as const;

/**
 * `malformed`: after a good CONNECT (3.1.1, as the table in docs/broker-facts.md), send each named bad packet and see
 * whether the broker closes the connection, as [MQTT-4.8.0-1] (3.1.1) / [MQTT-4.13.1-1] (5.0) require, and
 * how fast. A variant left open past `--timeout` fails. Variants run in parallel, one session each.
 */
export async function checkMalformed(ctx: CheckContext): Promise<FindingOf<"malformed">> {
  const variants = ctx.options.deep
    ? MALFORMED_VARIANTS
    : QUICK_VARIANTS.map((name) => malformedVariant(name)).filter((v): v is MalformedVariant => !!v);
  const outcomes = await Promise.all(variants.map((v) => sendVariant(ctx, v)));
  const open = outcomes.filter((o) => !o.error && !o.closed).map((o) => o.variant);
  const errors = outcomes.filter((o) => o.error);
  const status = open.length > 0 ? "fail" : errors.length > 0 ? "error" : "pass";
  const closedAnyway = errors.some((o) => o.error === "closed-before-send");
  const code =
    open.length > 0
      ? "left-open"
      : errors.length > 0
        ? closedAnyway
          ? "closed-before-send"
          : "no-session"
        : "closed";
  const closedAfter = outcomes.map((o) => o.afterMs).filter((ms): ms is number => ms !== null);
  return {
    id: "malformed",
    status,
    code,
    specRef: "[MQTT-4.8.0-1] (3.1.1) / [MQTT-4.13.1-1] (5.0)",
    measured: {
      variants: outcomes,
      leftOpen: open,
      maxCloseMs: closedAfter.length ? round(Math.max(...closedAfter)) : null,
      waitedMs: ctx.options.timeoutMs,
    },
  };
}

async function sendVariant(ctx: CheckContext, variant: MalformedVariant): Promise<MalformedOutcome> {
  const { options } = ctx;
  const version = ctx.acceptedVersions.includes(4) ? 4 : ctx.version;
  let session: RawSession;
  if (variant.beforeConnect) {
    session = await RawSession.open(options.target, transportOptions(options));
  } else {
    const started = await startSession(ctx, `malformed-${variant.name}`, 60, { protocolVersion: version });
    if (!started.ok) return { ...empty(variant.name), error: started.reason };
    session = started.session;
  }
  try {
    // A broker that closes every session on its own proves nothing about malformed packets.
    if (!variant.beforeConnect && !(await stillOpen(session, ctx))) {
      return { ...empty(variant.name), error: "closed-before-send" };
    }
    const sentAt = options.clock.now();
    session.sendBytes(variant.bytes);
    const close = await session.waitClosed(options.timeoutMs);
    if (!close) return empty(variant.name);
    return {
      variant: variant.name,
      closed: true,
      closeKind: close.kind,
      afterMs: round(close.at - sentAt),
      reasonCode: close.reasonCode ?? null,
    };
  } finally {
    session.destroy();
  }
}

const empty = (variant: string): MalformedOutcome => ({
  variant,
  closed: false,
  closeKind: null,
  afterMs: null,
  reasonCode: null,
});
