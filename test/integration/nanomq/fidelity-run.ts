import { type Broker, startBroker } from "../../../src/broker/index.js";
import { type Clock, realClock } from "../../../src/core/clock.js";
import { parseNanomqVersion } from "../../../src/core/options.js";
import { type NanomqVersion, startNanomq } from "../../helpers/nanomq.js";
import {
  type CaseOutcome,
  type FidelityCase,
  isNegoTimeoutLine,
  MULTIPLIER,
  NO_CONNECT_CASE,
  profileFor,
  Q_MS,
} from "./fidelity-cases.js";
import { type NanomqLine, parseNanomqLine, WARN_AND_ABOVE } from "./fidelity-lines.js";

/** A broker the cases run against: a real NanoMQ, or the embedded nanomq profile with the matching version. */
export interface FidelityTarget {
  label: string;
  kind: "real" | "profile";
  version: NanomqVersion;
  host: string;
  port: number;
  /** Every log line so far (raw text). */
  rawLines(): string[];
  stop(): Promise<void>;
}

export interface CaseResult extends CaseOutcome {
  name: string;
  /** The case's log lines at WARN and above, in the order written. */
  lines: NanomqLine[];
}

export async function realTarget(version: NanomqVersion): Promise<FidelityTarget> {
  const n = await startNanomq(version, { retryIntervalS: Q_MS / 1000, multiplier: MULTIPLIER });
  return {
    label: `real ${version}`,
    kind: "real",
    version,
    host: n.host,
    port: n.port,
    rawLines: () => {
      // Complete lines only: the last one may still be being written.
      const text = n.logSinceReady();
      return text
        .slice(0, text.lastIndexOf("\n") + 1)
        .split("\n")
        .slice(0, -1);
    },
    // Once only: a second stop of 0.21.9 would release the cross-process lock again, maybe another process's.
    stop: once(() => n.stop()),
  };
}

export async function profileTarget(version: NanomqVersion): Promise<FidelityTarget> {
  const clock = realClock();
  const broker: Broker = await startBroker({
    ...profileFor(parseNanomqVersion(version)),
    port: 0,
    clock,
    // The real brokers run with max_packet_size = 10KB (test/helpers/nanomq.ts): the profile gets the same limit
    // (0.25.3 advertises it in a v5 CONNACK but does not enforce it: the named difference `oversize-0.25`).
    maxPacketBytes: 10 * 1024,
  });
  return {
    label: `profile ${version}`,
    kind: "profile",
    version,
    host: broker.host,
    port: broker.port,
    rawLines: () => broker.logLines().map((l) => l.line),
    stop: () => broker.close(),
  };
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => {
    done ??= fn();
    return done;
  };
}

/**
 * After a case's clients are done, its last lines reach the log within milliseconds; waited for as a quiet spell:
 * at least SETTLE_MS, and until nothing new came for QUIET_MS (at most 2 s, on a loaded machine).
 */
const SETTLE_MS = 300;
const QUIET_MS = 200;

async function settle(target: FidelityTarget, clock: Clock): Promise<void> {
  const start = clock.now();
  let count = target.rawLines().length;
  let quietSince = start;
  while (clock.now() - start < 2000) {
    await clock.sleep(50);
    const n = target.rawLines().length;
    if (n !== count) {
      count = n;
      quietSince = clock.now();
    } else if (clock.now() - start >= SETTLE_MS && clock.now() - quietSince >= QUIET_MS) return;
  }
}

function warnLines(raw: string[]): NanomqLine[] {
  return raw.flatMap((l) => {
    const p = parseNanomqLine(l);
    return p && (WARN_AND_ABOVE.has(p.level) || p.id === "unparsed") ? [p] : [];
  });
}

/** One case alone against `target`: its lines are those written while it ran (no-connect's: by their text). */
export async function runCase(target: FidelityTarget, c: FidelityCase): Promise<CaseResult> {
  const clock = realClock();
  const mark = target.rawLines().length;
  const outcome = await c.run({ clock, host: target.host, port: target.port });
  await settle(target, clock);
  const own = c.name === NO_CONNECT_CASE.name;
  const lines = warnLines(target.rawLines().slice(mark)).filter((l) => isNegoTimeoutLine(l.text) === own);
  return { name: c.name, ...outcome, lines };
}

/**
 * Runs `cases` one after another against `target` (unless told not to, the no-connect case beside them, its lines
 * told apart by their text), each case's lines being those written while it ran.
 */
export async function runCases(
  target: FidelityTarget,
  cases: FidelityCase[],
  withNoConnect = true,
): Promise<CaseResult[]> {
  const clock = realClock();
  const noConnect = withNoConnect
    ? NO_CONNECT_CASE.run({ clock, host: target.host, port: target.port })
    : undefined;
  const results: CaseResult[] = [];
  for (const c of cases) results.push(await runCase(target, c));
  if (noConnect === undefined) return results;
  const outcome = await noConnect;
  await settle(target, clock);
  const lines = warnLines(target.rawLines()).filter((l) => isNegoTimeoutLine(l.text));
  results.push({ name: NO_CONNECT_CASE.name, ...outcome, lines });
  return results;
}
