import type { Connection } from "./connection.js";
import type { LogEntry } from "./dialects/types.js";
import { disconnectBytes } from "./profiles/reaction.js";

const MALFORMED = 0x81;
const PROTOCOL = 0x82;

/**
 * Closes a v5 connection for a protocol violation found after decoding (a bad topic alias, an invalid share name)
 * with a DISCONNECT of `reasonCode`, the way the profile's broker does it. Lines, as measured: mosquitto 2.0.11
 * `disconnected due to malformed packet` (0x81) or `… protocol error` (0x82), and for other codes (0x94) `Bad socket
 * read/write on client <id>: Unknown error.`, which the signature catalogue has no template for, so nothing is
 * logged; NanoMQ 0.25.3 prints its own ERROR line first (e.g. `Invalid Topic Alias: 1 (Server Max allowed: 0).
 * Closing connection or rejecting publish.`, not in the catalogue either), then its usual close lines.
 */
export function closeWithReason(conn: Connection, reasonCode: number): void {
  const ctx = conn.ctx;
  ctx.stats.violations++;
  ctx.log.write(entries(conn, reasonCode), conn.clientId, conn.tid);
  const profile = ctx.options.profile;
  // mosquitto 2.0.11 sends its DISCONNECT without a property length (`e0 01 <rc>`, measured)
  const bytes = profile === "mosquitto" ? Buffer.from([0xe0, 0x01, reasonCode]) : disconnectBytes(reasonCode);
  // NanoMQ closes the pipe the way it does after a rejected PUBLISH
  conn.close(profile === "nanomq" ? "rejected-publish" : "malformed", {
    ...(conn.protocolVersion === 5 ? { sendFirst: bytes } : {}),
  });
}

function entries(conn: Connection, reasonCode: number): LogEntry[] {
  const args = { clientId: conn.clientId ?? "" };
  const profile = conn.ctx.options.profile;
  if (profile === "nanomq") return [];
  if (reasonCode === MALFORMED) return [{ id: "malformed-packet", key: "malformed", args }];
  if (reasonCode === PROTOCOL || profile === "spec") return [{ id: "protocol-error", key: "protocol", args }];
  return [];
}
