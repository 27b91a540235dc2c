import { brokerProfile } from "../src/broker/profiles/broker-profile.js";
import type { ViolationKind } from "../src/broker/wire/violation.js";
import type { ProfileOptions } from "../src/core/profile.js";
import { malformedVariant } from "../src/fleet/malformed.js";

/**
 * A broker that closes a connection for a bad packet does it at once: slower than this (real ms after the last
 * write, with room for a loaded 2-core machine) is a failure, even though the fuzzer waits longer before calling a
 * connection open.
 */
export const CLOSES_AT_ONCE_MS = 250;

/** What the profile does to a connection that sends the named variant alone after its CONNECT. */
export interface VariantExpectation {
  closes: boolean;
  /** The bytes it answers with (a DISCONNECT before closing, or a reply while staying open), hex; "" for none. */
  reply: string;
}

/**
 * Read from the profile's own reaction table: the fuzzer checks the broker does what its profile says.
 */
export function profileExpectation(
  options: ProfileOptions,
  variant: string,
  protocolVersion: 4 | 5 = 4,
): VariantExpectation {
  const bytes = malformedVariant(variant)?.bytes;
  if (!bytes) throw new Error(`unknown malformed variant ${variant}`);
  const reaction = brokerProfile(options).react(
    {
      kind: variant as ViolationKind,
      packetType: (bytes[0] ?? 0) >> 4,
      // a SUBSCRIBE's packet id, for the SUBACK a profile may answer it with
      ...(bytes.length >= 4 ? { packetId: bytes.readUInt16BE(2) } : {}),
    },
    { clientId: "fuzz", protocolVersion, ip: "127.0.0.1", port: 0 },
  );
  if (reaction.action === "close") return { closes: true, reply: reaction.sendFirst?.toString("hex") ?? "" };
  return { closes: false, reply: reaction.action === "reply" ? reaction.reply.toString("hex") : "" };
}

/** Whether the profile closes a connection that sends the named variant alone after its CONNECT. */
export function profileCloses(options: ProfileOptions, variant: string, protocolVersion: 4 | 5 = 4): boolean {
  return profileExpectation(options, variant, protocolVersion).closes;
}
