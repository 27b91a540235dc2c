import type { LogEntry } from "../dialects/types.js";
import { type MeasuredReaction, MOSQUITTO_UNKNOWN_ID, mosquittoReaction } from "./mosquitto-measured.js";
import type { ReactFn } from "./reaction.js";

/** For violations the measured table has no row for: mosquitto's usual "protocol error" close. */
const FALLBACK: MeasuredReaction = {
  closes: true,
  signature: { id: "protocol-error", key: "protocol" },
  reply: null,
  closeKind: "fin",
};

/** mosquitto's reactions come from the table measured against the real mosquitto 2.0.11. */
export const mosquittoReact: ReactFn = (violation, context) => {
  const measured = mosquittoReaction(violation.kind, context.protocolVersion) ?? FALLBACK;
  const clientId = context.clientId ?? MOSQUITTO_UNKNOWN_ID;
  const reply = measured.reply === null ? undefined : Buffer.from(measured.reply, "hex");
  if (!measured.closes) return reply ? { action: "reply", reply } : { action: "ignore" };
  const refs = [...(measured.preceding ?? []), ...(measured.signature ? [measured.signature] : [])];
  const entries: LogEntry[] = refs.map((ref) => ({ ...ref, args: { clientId } }));
  return {
    action: "close",
    cause: "malformed",
    entries,
    ...(reply ? { sendFirst: reply } : {}),
    ...(closesWithReset(measured, violation.unreadBytes ?? 0) ? { reset: true } : {}),
  };
};

/** RST when measured so, or when mosquitto closes with input it never read still buffered (the kernel's RST). */
function closesWithReset(measured: MeasuredReaction, unreadBytes: number): boolean {
  return measured.closeKind === "rst" || (measured.resetIfUnread === true && unreadBytes > 0);
}
