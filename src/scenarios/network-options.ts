import { parseDuration } from "../core/duration.js";
import { UsageError } from "../core/errors.js";
import type { ReconnectPolicy } from "../fleet/reconnect-policy.js";
import { parseLinkOptions, type RawLinkOptions } from "../link/link-options.js";
import type { LinkSpec } from "../link/types.js";

/**
 * `mqdiag scenario`'s network-fault options (issue 9), raw as commander hands them over: the link options of
 * src/link/link-options.ts (every scenario's subject clients dial through a relay with those faults) and the
 * client's reconnect policy (the scenarios whose clients are MQTT.js sessions: network-stall, pingresp-lost):
 *   --reconnect <none|immediate|backoff>   what the client does after it gave up or was dropped
 *   --reconnect-delay <d>   immediate: wait between failed attempts (default 1s); backoff: the first wait (1s)
 *   --reconnect-max <d>     backoff: the cap (default 30s)
 *   --reconnect-jitter <j>  backoff: each wait is cut by up to this fraction, 0–1 (default 0.5), seeded by --link-seed
 */
export interface RawNetworkScenarioOptions extends RawLinkOptions {
  reconnect?: string;
  reconnectDelay?: string;
  reconnectMax?: string;
  reconnectJitter?: string;
}

/** The network-fault options, parsed. */
export interface NetworkScenarioOptions {
  /** The user's link for the subject clients; undefined = no link option given (a direct connection). */
  link?: LinkSpec;
  /** The user's reconnect policy; undefined = each scenario's default. */
  reconnect?: ReconnectPolicy;
}

export const RECONNECT_KINDS = ["none", "immediate", "backoff"] as const;

function positiveDuration(text: string, what: string): number {
  const ms = parseDuration(text, what);
  if (!(ms > 0)) throw new UsageError(`${what}: must be greater than 0, got "${text}"`);
  return ms;
}

/** The --reconnect options; `seed` is the link's (--link-seed, default 1). */
export function parseReconnect(raw: RawNetworkScenarioOptions, seed: number): ReconnectPolicy | undefined {
  const kind = raw.reconnect;
  if (kind === undefined) {
    const stray = [
      ["--reconnect-delay", raw.reconnectDelay, "immediate or backoff"],
      ["--reconnect-max", raw.reconnectMax, "backoff"],
      ["--reconnect-jitter", raw.reconnectJitter, "backoff"],
    ].find(([, v]) => v !== undefined);
    if (stray) throw new UsageError(`${stray[0]}: needs --reconnect ${stray[2]}`);
    return undefined;
  }
  if (!(RECONNECT_KINDS as readonly string[]).includes(kind))
    throw new UsageError(`--reconnect: expected ${RECONNECT_KINDS.join(", ")}, got "${kind}"`);
  if (kind === "none") {
    if (
      raw.reconnectDelay !== undefined ||
      raw.reconnectMax !== undefined ||
      raw.reconnectJitter !== undefined
    )
      throw new UsageError(
        "--reconnect none: takes no --reconnect-delay, --reconnect-max or --reconnect-jitter",
      );
    return { kind: "none" };
  }
  const delayMs =
    raw.reconnectDelay === undefined ? 1000 : positiveDuration(raw.reconnectDelay, "--reconnect-delay");
  if (kind === "immediate") {
    if (raw.reconnectMax !== undefined || raw.reconnectJitter !== undefined)
      throw new UsageError("--reconnect immediate: --reconnect-max and --reconnect-jitter need backoff");
    return { kind: "immediate", retryMs: delayMs };
  }
  const maxMs =
    raw.reconnectMax === undefined ? 30_000 : positiveDuration(raw.reconnectMax, "--reconnect-max");
  if (maxMs < delayMs)
    throw new UsageError(
      `--reconnect-max: ${raw.reconnectMax} is less than --reconnect-delay ${raw.reconnectDelay ?? "1s"}`,
    );
  let jitter = 0.5;
  if (raw.reconnectJitter !== undefined) {
    jitter = Number(raw.reconnectJitter);
    if (raw.reconnectJitter.trim() === "" || !Number.isFinite(jitter) || jitter < 0 || jitter > 1)
      throw new UsageError(
        `--reconnect-jitter: expected a fraction from 0 to 1, got "${raw.reconnectJitter}"`,
      );
  }
  return { kind: "backoff", initialMs: delayMs, maxMs, factor: 2, jitter, seed };
}

/** Validates the network-fault options (the link's and --reconnect's); every problem is a UsageError. */
export function parseNetworkScenarioOptions(raw: RawNetworkScenarioOptions): NetworkScenarioOptions {
  const link = parseUserLink(raw);
  const reconnect = parseReconnect(raw, link?.seed ?? 1);
  return { ...(link ? { link } : {}), ...(reconnect ? { reconnect } : {}) };
}

/** The link options (every scenario's subject clients dial through them): undefined when none is given. */
export function parseUserLink(raw: RawLinkOptions): LinkSpec | undefined {
  return parseLinkOptions({
    latency: raw.latency,
    jitter: raw.jitter,
    bandwidth: raw.bandwidth,
    stallAt: raw.stallAt,
    stallFor: raw.stallFor,
    stallRelease: raw.stallRelease,
    stallScope: raw.stallScope,
    slowClose: raw.slowClose,
    resetAt: raw.resetAt,
    linkDirection: raw.linkDirection,
    drop: raw.drop,
    delayPingreq: raw.delayPingreq,
    delayPingresp: raw.delayPingresp,
    linkSeed: raw.linkSeed,
  });
}
