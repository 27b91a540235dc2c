import { MOSQUITTO_UNKNOWN_CLIENT } from "../dialects/mosquitto.js";
import { type MeasuredReaction, MOSQUITTO_MALFORMED } from "./mosquitto-measured.js";
import type { ReactFn } from "./reaction.js";

/** For violations the measured table has no row for: mosquitto's usual "protocol error" close. */
const FALLBACK: MeasuredReaction = {
  closes: true,
  signature: { id: "protocol-error", key: "protocol" },
  reply: null,
};

/** mosquitto's reactions come from the table measured against the real mosquitto 2.0. */
export const mosquittoReact: ReactFn = (violation, context) => {
  const measured = MOSQUITTO_MALFORMED[violation.kind] ?? FALLBACK;
  const clientId = context.clientId ?? MOSQUITTO_UNKNOWN_CLIENT;
  const reply = measured.reply === null ? undefined : Buffer.from(measured.reply, "hex");
  if (!measured.closes) return reply ? { action: "reply", reply } : { action: "ignore" };
  return {
    action: "close",
    cause: "malformed",
    entries: measured.signature ? [{ ...measured.signature, args: { clientId } }] : [],
    ...(reply ? { sendFirst: reply } : {}),
  };
};
