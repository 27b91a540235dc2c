import type { KeepaliveWatch } from "./types.js";

/** The watch for a keepalive the model does not enforce (keepalive 0): inbound packets change nothing. */
export function inertWatch(): KeepaliveWatch {
  return { touch() {}, stop() {} };
}
