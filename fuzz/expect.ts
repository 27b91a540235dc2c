import { brokerProfile } from "../src/broker/profiles/broker-profile.js";
import type { ViolationKind } from "../src/broker/wire/violation.js";
import type { ProfileOptions } from "../src/core/profile.js";
import { malformedVariant } from "../src/fleet/malformed.js";

/**
 * Whether the profile closes a connection that sends the named variant alone after its CONNECT, read from the
 * profile's own reaction table: the fuzzer checks the broker does what its profile says.
 */
export function profileCloses(options: ProfileOptions, variant: string, protocolVersion: 4 | 5 = 4): boolean {
  const bytes = malformedVariant(variant)?.bytes;
  if (!bytes) throw new Error(`unknown malformed variant ${variant}`);
  const reaction = brokerProfile(options).react(
    { kind: variant as ViolationKind, packetType: (bytes[0] ?? 0) >> 4 },
    { clientId: "fuzz", protocolVersion, ip: "127.0.0.1", port: 0 },
  );
  return reaction.action === "close";
}
