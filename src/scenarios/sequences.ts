import type { ProfileOptions } from "../core/profile.js";
import type { ExpectedSignature } from "./types.js";

/**
 * The line sequences of signatures.md ("Sequences"), per profile. NanoMQ: rv 139 follows every recv error; the
 * line before it names the cause.
 */
const OBJECT_CLOSED: ExpectedSignature[] = [
  { id: "recv-error", detail: { reason: "Object closed" } },
  { id: "parse-error", detail: { rv: 139 } },
];

/** keepalive kick: `…kick client due to KeepAlive timeout!` → `Object closed` → `rv: 139`. */
export function kickSequence(p: ProfileOptions): ExpectedSignature[] {
  return p.profile === "nanomq"
    ? [{ id: "keepalive-timeout" }, ...OBJECT_CLOSED]
    : [{ id: "keepalive-timeout" }];
}

/** client reset or vanished (RST, FIN without DISCONNECT): `Connection shutdown` → `rv: 139`; mosquitto/spec: closed. */
export function peerGoneSequence(p: ProfileOptions): ExpectedSignature[] {
  return p.profile === "nanomq"
    ? [
        { id: "recv-error", detail: { reason: "Connection shutdown" } },
        { id: "parse-error", detail: { rv: 139 } },
      ]
    : [{ id: "peer-closed" }];
}

/** takeover: `Client ID collision` (ERROR) → `Object closed` → `rv: 139`; mosquitto/spec: their takeover line. */
export function takeoverSequence(p: ProfileOptions): ExpectedSignature[] {
  return p.profile === "nanomq" ? [{ id: "takeover" }, ...OBJECT_CLOSED] : [{ id: "takeover" }];
}
