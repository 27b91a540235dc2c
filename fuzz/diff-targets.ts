import { startBroker } from "../src/broker/index.js";
import { startMosquitto } from "../test/helpers/mosquitto.js";
import { recogniseMosquittoLines } from "../test/helpers/mosquitto-lines.js";
import type { NanomqVersion } from "../test/helpers/nanomq.js";
import { INTERLEAVED, sameTimerEvent } from "../test/integration/nanomq/fidelity-compare.js";
import { parseNanomqLine, showLine, WARN_AND_ABOVE } from "../test/integration/nanomq/fidelity-lines.js";
import { profileTarget, realTarget } from "../test/integration/nanomq/fidelity-run.js";
import { MOSQUITTO_KNOWN, NANOMQ_KNOWN } from "./diff-known.js";
import type { DiffTarget, KnownDifference } from "./differential.js";

/**
 * The brokers of the differential run, started as the fidelity suites start them (the same configs, so the same
 * facts hold), and how their lines are compared: as those suites compare them.
 */
export interface DiffPair {
  real: DiffTarget;
  profile: DiffTarget;
  lines(raw: string[], id: number): string[];
  known: readonly KnownDifference[];
  stop(): Promise<void>;
}

/**
 * NanoMQ lines at WARN and above, as `signature · LEVEL · message` (timestamps, thread ids, source lines and pipe
 * ids stripped): the connection's own chain in order, then the lines other threads interleave anywhere around it
 * (`<id> online!`/`offline!`, the pipe timer's) sorted, as test/integration/nanomq/fidelity-compare.ts does.
 */
export function nanomqComparable(raw: string[]): string[] {
  const parsed = raw.flatMap((l) => {
    const p = parseNanomqLine(l);
    return p && (WARN_AND_ABOVE.has(p.level) || p.id === "unparsed") ? [p] : [];
  });
  const chain = parsed.filter((l) => !INTERLEAVED.test(l.text)).map(showLine);
  const around = parsed
    .filter((l) => INTERLEAVED.test(l.text))
    .map((l) => `~ ${sameTimerEvent(showLine(l))}`)
    .sort();
  return [...chain, ...around];
}

/**
 * mosquitto lines the catalogue knows, as `signature/key client-id`, in order (test/helpers/mosquitto-lines.ts):
 * those naming connection `id`'s client ids or none, without `Client <id> closed its connection.` (the fuzzer's
 * own FIN once it called the connection open) and `New connection from <ip>:<port>` (one per connection on both
 * sides, naming no client: the helper's readiness probe's one was seen among the first connection's lines). mosquitto writes a client's last line late at times (measured: over
 * 2 s under load, after the next connection's lines), so a line naming another connection is that one's, late.
 */
export function mosquittoComparable(raw: string[], id?: number): string[] {
  const own = id === undefined ? undefined : [`fuzz-${id}`, `mut-fuzz-${id}`, "<unknown>"];
  return recogniseMosquittoLines(raw.join("\n"))
    .filter((l) => l.id !== "peer-closed" && l.key !== "new-connection")
    .filter((l) => !own || l.clientId === undefined || own.includes(l.clientId))
    .map((l) => `${l.id}/${l.key} ${l.clientId ?? ""}`.trimEnd());
}

const NANOMQ_CHAIN_END = /rv: ?(?:\d+|[^()]*\(\d+\))\s*$/;
const chainEnded = (raw: string[]) => raw.some((l) => NANOMQ_CHAIN_END.test(l));

export async function nanomqPair(version: NanomqVersion): Promise<DiffPair> {
  const real = await realTarget(version);
  const profile = await profileTarget(version);
  return {
    // A connection's chain ends with an rv line (recv/parse error rv, nego error rv): NanoMQ writes it a moment
    // after the close, later still under load (measured: 0.21.9's `Connection shutdown` + rv 139 for a connection
    // the fuzzer closed, among the next connection's lines). The profile's chain is waited for the same way: it runs
    // in this process, and after a stall libuv runs the expired timers (the quiet spell's) before it reads the
    // sockets, so a quiet spell can end before the close is read; at load average ~20 a `pingreq-flags`
    // connection's profile had only its `online!` line, twice in a row (seed 12, id 266).
    real: { ...real, complete: chainEnded },
    profile: { ...profile, complete: chainEnded },
    lines: nanomqComparable,
    known: NANOMQ_KNOWN,
    stop: async () => {
      await Promise.all([real.stop(), profile.stop()]);
    },
  };
}

export async function mosquittoPair(): Promise<DiffPair> {
  const m = await startMosquitto();
  const b = await startBroker({ port: 0, profile: "mosquitto" });
  const real: DiffTarget = {
    label: "real mosquitto",
    host: m.host,
    port: m.port,
    rawLines: () => {
      const text = m.log();
      return text
        .slice(0, text.lastIndexOf("\n") + 1)
        .split("\n")
        .slice(0, -1);
    },
    stop: () => m.stop(),
    // mosquitto writes its line for a connection it closed a moment later: wait for it.
    complete: (raw, closed) =>
      !closed || mosquittoComparable(raw).some((l) => !l.startsWith("client-connected/")),
  };
  const profile: DiffTarget = {
    label: "profile mosquitto",
    host: b.host,
    port: b.port,
    rawLines: () => b.logLines().map((l) => l.line),
    stop: () => b.close(),
  };
  return {
    real,
    profile,
    lines: mosquittoComparable,
    known: MOSQUITTO_KNOWN,
    stop: async () => {
      await Promise.all([m.stop(), b.close()]);
    },
  };
}
