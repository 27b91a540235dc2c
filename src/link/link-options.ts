import { parseDuration } from "../core/duration.js";
import { UsageError } from "../core/errors.js";
import { type Directions, type LinkFault, type LinkSpec, PING_PACKETS, type PingPacket } from "./types.js";

/**
 * The link's command-line options, raw as commander hands them over. Durations as everywhere in mqdiag (`300ms`,
 * `20s`, `1m`; a bare number is seconds), in scenario time; fault times count from the client's start.
 *   --latency <d>            each chunk held this long (per direction it applies to)
 *   --jitter <d>             ± up to this much around --latency, uniform (order kept, as TCP keeps it)
 *   --bandwidth <rate>       e.g. 500B/s, 64KB/s, 1MB/s (KB = 1000 bytes, KiB = 1024)
 *   --stall-at <d>           from then on bytes, FIN and RST are held: a half-open link
 *   --stall-for <d|forever>  how long (default forever)
 *   --stall-release <flush|strand>  at the end: deliver what was held, or leave those connections dead
 *   --stall-scope <all|existing>    new connections wait for the end too (all), or pass (existing: only the
 *                                   connections open at the stall's start are held — the client found a new path)
 *   --slow-close <d>         a FIN or RST is passed on this much later
 *   --reset-at <d>           every open connection reset (RST)
 *   --link-direction <to-broker|to-client|both>  which way the above act (default both)
 *   --drop <pingreq,pingresp>  drop every PINGREQ (towards the broker) and/or PINGRESP (towards the client)
 *   --delay-pingreq <d>, --delay-pingresp <d>   hold that packet (and, TCP order, what follows it) this long
 *   --link-seed <n>          seed of the jitter's PRNG (default 1)
 */
export interface RawLinkOptions {
  latency?: string;
  jitter?: string;
  bandwidth?: string;
  stallAt?: string;
  stallFor?: string;
  stallRelease?: string;
  stallScope?: string;
  slowClose?: string;
  resetAt?: string;
  linkDirection?: string;
  drop?: string;
  delayPingreq?: string;
  delayPingresp?: string;
  linkSeed?: string;
}

export type ParsedLinkOptions = LinkSpec | undefined;

const DIRECTION_CHOICES = ["to-broker", "to-client", "both"] as const;
const RATE_UNITS: Record<string, number> = { b: 1, kb: 1000, mb: 1_000_000, kib: 1024, mib: 1_048_576 };

function duration(text: string, what: string, allowZero: boolean): number {
  const ms = parseDuration(text, what);
  if (!allowZero && ms <= 0) throw new UsageError(`${what}: must be greater than 0, got "${text}"`);
  return ms;
}

/** `64KB/s` → bytes per second. */
export function parseRate(text: string, what = "--bandwidth"): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(B|KB|MB|KiB|MiB)(?:\/s)?\s*$/i.exec(text);
  const factor = RATE_UNITS[(match?.[2] ?? "").toLowerCase()];
  const value = Number(match?.[1]) * (factor ?? Number.NaN);
  if (!match || factor === undefined || !(value > 0))
    throw new UsageError(`${what}: expected a rate like 500B/s, 64KB/s or 1MB/s, got "${text}"`);
  return value;
}

function direction(text: string | undefined): Directions {
  if (text === undefined) return "both";
  if ((DIRECTION_CHOICES as readonly string[]).includes(text)) return text as Directions;
  throw new UsageError(`--link-direction: expected ${DIRECTION_CHOICES.join(", ")}, got "${text}"`);
}

function packets(text: string): PingPacket[] {
  const names = text.split(",").map((s) => s.trim().toLowerCase());
  for (const n of names)
    if (!(PING_PACKETS as readonly string[]).includes(n))
      throw new UsageError(`--drop: expected ${PING_PACKETS.join(", ")} (comma-separated), got "${text}"`);
  return [...new Set(names as PingPacket[])];
}

/** Validates the link options into a LinkSpec; undefined when none was given. Every problem is a UsageError. */
export function parseLinkOptions(raw: RawLinkOptions): ParsedLinkOptions {
  const given = Object.values(raw).some((v) => v !== undefined);
  if (!given) return undefined;
  const dir = direction(raw.linkDirection);
  const faults: LinkFault[] = [];
  if (raw.jitter !== undefined && raw.latency === undefined)
    throw new UsageError("--jitter: needs --latency (jitter is spread around a latency)");
  if (raw.latency !== undefined) {
    const latencyMs = duration(raw.latency, "--latency", true);
    const jitterMs = raw.jitter === undefined ? 0 : duration(raw.jitter, "--jitter", true);
    if (jitterMs > latencyMs)
      throw new UsageError(
        `--jitter: ${raw.jitter} is more than --latency ${raw.latency} (a delay cannot be negative)`,
      );
    faults.push({ kind: "latency", direction: dir, latencyMs, ...(jitterMs > 0 ? { jitterMs } : {}) });
  }
  if (raw.bandwidth !== undefined)
    faults.push({ kind: "bandwidth", direction: dir, bytesPerSecond: parseRate(raw.bandwidth) });
  if (raw.stallFor !== undefined && raw.stallAt === undefined)
    throw new UsageError("--stall-for: needs --stall-at (when the stall starts)");
  if (raw.stallRelease !== undefined && raw.stallAt === undefined)
    throw new UsageError("--stall-release: needs --stall-at");
  if (raw.stallScope !== undefined && raw.stallAt === undefined)
    throw new UsageError("--stall-scope: needs --stall-at");
  if (raw.stallAt !== undefined) {
    const forMs =
      raw.stallFor === undefined || raw.stallFor === "forever"
        ? null
        : duration(raw.stallFor, "--stall-for", false);
    const release = raw.stallRelease ?? "flush";
    if (release !== "flush" && release !== "strand")
      throw new UsageError(`--stall-release: expected flush or strand, got "${raw.stallRelease}"`);
    if (release === "strand" && forMs === null)
      throw new UsageError("--stall-release strand: needs --stall-for (a stall for good never releases)");
    const scope = raw.stallScope ?? "all";
    if (scope !== "all" && scope !== "existing")
      throw new UsageError(`--stall-scope: expected all or existing, got "${raw.stallScope}"`);
    faults.push({
      kind: "stall",
      direction: dir,
      atMs: duration(raw.stallAt, "--stall-at", true),
      forMs,
      release,
      ...(scope === "existing" ? { scope } : {}),
    });
  }
  if (raw.slowClose !== undefined)
    faults.push({
      kind: "slow-close",
      direction: dir,
      delayMs: duration(raw.slowClose, "--slow-close", false),
    });
  if (raw.resetAt !== undefined)
    faults.push({ kind: "reset", direction: dir, atMs: duration(raw.resetAt, "--reset-at", true) });
  if (raw.drop !== undefined) for (const packet of packets(raw.drop)) faults.push({ kind: "drop", packet });
  if (raw.delayPingreq !== undefined)
    faults.push({
      kind: "delay",
      packet: "pingreq",
      delayMs: duration(raw.delayPingreq, "--delay-pingreq", false),
    });
  if (raw.delayPingresp !== undefined)
    faults.push({
      kind: "delay",
      packet: "pingresp",
      delayMs: duration(raw.delayPingresp, "--delay-pingresp", false),
    });
  let seed = 1;
  if (raw.linkSeed !== undefined) {
    if (!/^\d+$/.test(raw.linkSeed.trim()) || Number(raw.linkSeed) > 0xffffffff)
      throw new UsageError(
        `--link-seed: expected a whole number from 0 to 4294967295, got "${raw.linkSeed}"`,
      );
    seed = Number(raw.linkSeed);
  }
  if (faults.length === 0 && raw.linkSeed === undefined && raw.linkDirection !== undefined)
    throw new UsageError("--link-direction: needs a fault to apply to (--latency, --stall-at, …)");
  return { faults, seed };
}
