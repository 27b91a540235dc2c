import type { ConnectParams, ProtocolVersion } from "../mqtt-wire/raw-session.js";
import type { TransportOptions } from "../mqtt-wire/transport.js";
import type { CheckContext, ProbeOptions } from "./types.js";

/** The CONNECT every probe session sends: credentials from the options, never logged. */
export function connectParams(
  options: ProbeOptions,
  version: ProtocolVersion,
  clientId: string,
  keepalive: number,
  extra: Partial<ConnectParams> = {},
): ConnectParams {
  return {
    protocolVersion: version,
    clientId,
    keepalive,
    clean: true,
    ...(options.username !== undefined ? { username: options.username } : {}),
    ...(options.password !== undefined ? { password: Buffer.from(options.password) } : {}),
    ...extra,
  };
}

export function transportOptions(options: ProbeOptions): TransportOptions {
  return { clock: options.clock, timeoutMs: options.timeoutMs, ca: options.ca, insecure: options.insecure };
}

export function sessionParams(
  ctx: CheckContext,
  check: string,
  keepalive: number,
  extra: Partial<ConnectParams> = {},
): ConnectParams {
  return connectParams(ctx.options, ctx.version, ctx.clientId(check), keepalive, extra);
}
