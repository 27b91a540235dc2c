import { type ProfileOptions, versionAtLeast } from "../core/profile.js";
import { signature } from "../signatures/catalogue.js";
import type { SignatureId } from "../signatures/types.js";
import type { ExpectedSignature } from "./types.js";

/**
 * The line sequences of docs/broker-facts.md ("Sequences"), per profile. NanoMQ: rv 139 follows every recv error; the
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

/** Whether the profile's NanoMQ version has a line for `id` at all (the catalogue's since/until say). */
function nanomqLogs(id: SignatureId, p: ProfileOptions): boolean {
  return signature(id).templates.some(
    (t) =>
      t.dialect === "nanomq" &&
      (t.since === undefined || versionAtLeast(p.nanomqVersion, t.since)) &&
      (t.until === undefined || versionAtLeast(t.until, p.nanomqVersion)),
  );
}

/**
 * takeover: `Client ID collision` (ERROR) → `Object closed` → `rv: 139`; NanoMQ versions without the collision line
 * (0.21.9 prints none) only `Object closed` → `rv: 139`; mosquitto/spec: their takeover line.
 */
export function takeoverSequence(p: ProfileOptions): ExpectedSignature[] {
  if (p.profile !== "nanomq") return [{ id: "takeover" }];
  return nanomqLogs("takeover", p) ? [{ id: "takeover" }, ...OBJECT_CLOSED] : OBJECT_CLOSED;
}
