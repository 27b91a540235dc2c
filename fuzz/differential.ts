import net from "node:net";
import { mutatedConnect, preConnectClientId } from "./connection.js";
import { connectPacket, MALFORMED_AFTER_CONNECT, MALFORMED_BEFORE_CONNECT, VALID_PACKETS } from "./corpus.js";
import { mutate } from "./mutate.js";
import { pick, prng } from "./prng.js";
import { StallMeter } from "./stall-meter.js";

/**
 * Differential fuzzing: the same numbered fuzz connection (seeded plan, same bytes, same chunks) against a real
 * broker and against the embedded broker with the matching profile, compared on what each did — closed or left
 * open, every byte it answered, and the log lines it wrote meanwhile (in the comparable form `lines` gives).
 * Connections run one at a time per pair of brokers, so a connection's lines are those written while it ran.
 */
export interface DiffTarget {
  label: string;
  host: string;
  port: number;
  /** Every raw log line so far. */
  rawLines(): string[];
  /**
   * Whether a connection's lines (raw, since its start) are complete, knowing whether the broker closed it;
   * default: a quiet spell is enough.
   */
  complete?(raw: string[], closed: boolean): boolean;
  stop(): Promise<void>;
}

/** What one broker did with one connection. */
export interface DiffSide {
  closed: boolean;
  /** Every byte the broker sent, hex. */
  answered: string;
  /** The lines written while the connection ran, comparable form. */
  lines: string[];
  /** A socket error other than the broker's close (ECONNREFUSED: the broker is gone). */
  error?: string;
}

export interface DiffRecord {
  id: number;
  plan: DiffPlan["kind"];
  variant?: string;
  /** The bad packet (or the bytes sent instead of CONNECT), hex. */
  bad: string;
  real: DiffSide;
  profile: DiffSide;
  /** undefined: the same; else the name of the known difference that explains it, or "unexplained". */
  difference?: string;
}

/**
 * A difference kept on purpose: named, with why. It rewrites what it is about on one side or both (e.g. drops a
 * line the profile does not print); the record is covered when the two sides are then the same.
 */
export interface KnownDifference {
  name: string;
  reason: string;
  normalise(record: DiffRecord): DiffRecord;
}

/** The known difference (or the ones, together, joined by " + ") that explain a record; else "unexplained". */
export function explain(record: DiffRecord, known: readonly KnownDifference[]): string {
  const same = (r: DiffRecord) => sameSide(r.real, r.profile);
  const alone = known.find((k) => same(k.normalise(record)));
  if (alone) return alone.name;
  const used: string[] = [];
  let r = record;
  for (const k of known) {
    const next = k.normalise(r);
    if (!sameSide(next.real, r.real) || !sameSide(next.profile, r.profile)) {
      used.push(k.name);
      r = next;
    }
  }
  return same(r) ? used.join(" + ") : "unexplained";
}

export interface DiffOptions {
  seed: number;
  /** Waits this long after the last write before calling a connection open, ms. */
  settleMs: number;
  /** raw lines written while connection `id` ran → comparable lines (the broker's dialect). */
  lines(raw: string[], id: number): string[];
  known: readonly KnownDifference[];
  /** This process's stalls, so a loaded machine does not turn a close into "left open". */
  stalls?: StallMeter;
}

export function sameSide(a: DiffSide, b: DiffSide): boolean {
  return (
    a.closed === b.closed &&
    a.answered === b.answered &&
    a.error === b.error &&
    a.lines.join("\n") === b.lines.join("\n")
  );
}

/**
 * One differential connection, planned from its own seeded PRNG: a CONNECT, then ONE bad packet — a named
 * variant of the corpus (3.1.1) or one mutation of a valid packet — or, before any CONNECT, garbage or a mutated
 * CONNECT. Written whole, the bad packet only once the CONNACK is in, so both brokers read the same bytes in the
 * same pieces.
 */
export interface DiffPlan {
  kind: "variant" | "mutation" | "pre-connect";
  variant?: string;
  connect?: Buffer;
  bad: Buffer;
}

export function planDiff(seed: number, id: number): DiffPlan {
  const rand = prng(seed * 1_000_003 + id);
  const roll = rand();
  const clientId = `fuzz-${id}`;
  if (roll < 0.35) {
    const variant = pick(rand, MALFORMED_AFTER_CONNECT);
    return {
      kind: "variant",
      variant: variant.name,
      connect: connectPacket(clientId, 4),
      bad: variant.bytes,
    };
  }
  if (roll < 0.9) {
    // The valid packets are 3.1.1 encodings: their mutations follow a 3.1.1 CONNECT.
    const bad = mutate(rand, pick(rand, VALID_PACKETS), pick(rand, VALID_PACKETS));
    return { kind: "mutation", connect: connectPacket(clientId, 4), bad };
  }
  const bad =
    rand() < 0.3
      ? pick(rand, MALFORMED_BEFORE_CONNECT).bytes
      : mutatedConnect(rand, preConnectClientId(clientId), rand() < 0.5 ? 4 : 5);
  return { kind: "pre-connect", bad };
}

/** The bytes connection `id` of the run seeded `seed` sends, hex (for a report). */
export function connectionBytes(seed: number, id: number): string {
  const plan = planDiff(seed, id);
  return Buffer.concat([plan.connect ?? Buffer.alloc(0), plan.bad]).toString("hex");
}

interface SocketOutcome {
  closed: boolean;
  answered: string;
  error?: string;
}

/**
 * Runs a plan against one broker: CONNECT, its CONNACK (or close), the bad packet, then waits `settleMs` of
 * unstalled time for a close before calling the connection open and closing it (FIN).
 */
export function runDiffPlan(
  plan: DiffPlan,
  host: string,
  port: number,
  settleMs: number,
  stalls: StallMeter,
): Promise<SocketOutcome> {
  return new Promise((resolve) => {
    const socket = net.connect(port, host);
    const received: Buffer[] = [];
    let closed = false;
    let error: string | undefined;
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    let sentBad = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ closed, answered: Buffer.concat(received).toString("hex"), ...(error ? { error } : {}) });
    };
    const waitFor = (ms: number, then: () => void) => {
      const from = performance.now();
      const check = (wait: number) => {
        timer = setTimeout(() => {
          const now = performance.now();
          const active = now - from - stalls.stalledMs(from, now);
          if (active < ms) check(Math.max(1, ms - active));
          else setImmediate(then);
        }, wait);
      };
      check(ms);
    };
    const sendBad = () => {
      if (sentBad || done) return;
      sentBad = true;
      clearTimeout(timer);
      socket.write(plan.bad, () => waitFor(settleMs, finish));
    };
    socket.on("data", (d: Buffer) => {
      received.push(d);
      // The CONNACK (4 bytes for 3.1.1) is in: now the bad packet.
      if (plan.connect && Buffer.concat(received).length >= 4) sendBad();
    });
    const brokerClosed = () => {
      closed = true;
      finish();
    };
    socket.on("end", brokerClosed);
    socket.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "ECONNRESET" || err.code === "EPIPE") brokerClosed();
      else {
        error = err.code ?? err.message;
        finish();
      }
    });
    socket.on("close", finish);
    socket.once("connect", () => {
      if (!plan.connect) {
        sentBad = true;
        socket.write(plan.bad, () => waitFor(settleMs, finish));
        return;
      }
      // No CONNACK within the settle time: the connection is judged as it stands, the bad packet unsent.
      socket.write(plan.connect, () => waitFor(settleMs * 4, finish));
    });
  });
}

/**
 * After a connection, its last lines reach the log within milliseconds: waited for as a quiet spell (at least
 * 60 ms, then until nothing new for 50 ms; at most 1.5 s on a loaded machine).
 */
async function settleLogs(
  targets: readonly DiffTarget[],
  marks: readonly number[],
  closed: readonly boolean[],
): Promise<void> {
  const start = performance.now();
  let counts = targets.map((t) => t.rawLines().length);
  let quietSince = start;
  const complete = () =>
    targets.every((t, i) => t.complete?.(t.rawLines().slice(marks[i] ?? 0), closed[i] ?? false) ?? true);
  while (performance.now() - start < 2000) {
    await new Promise((r) => setTimeout(r, 15));
    const now = targets.map((t) => t.rawLines().length);
    if (now.some((n, i) => n !== counts[i])) {
      counts = now;
      quietSince = performance.now();
    } else if (performance.now() - start >= 60 && performance.now() - quietSince >= 50 && complete()) return;
  }
}

/** Runs connection `id` against both brokers at once and compares what they did. */
export async function diffConnection(
  real: DiffTarget,
  profile: DiffTarget,
  id: number,
  options: DiffOptions,
): Promise<DiffRecord> {
  const marks = [real.rawLines().length, profile.rawLines().length];
  const plan = planDiff(options.seed, id);
  const stalls = options.stalls ?? new StallMeter();
  const run = (t: DiffTarget) => runDiffPlan(plan, t.host, t.port, options.settleMs, stalls);
  const [r, p] = await Promise.all([run(real), run(profile)]);
  await settleLogs([real, profile], marks, [r.closed, p.closed]);
  const side = (o: SocketOutcome, t: DiffTarget, mark: number): DiffSide => ({
    ...o,
    lines: options.lines(t.rawLines().slice(mark), id),
  });
  const record: DiffRecord = {
    id,
    plan: plan.kind,
    ...(plan.variant ? { variant: plan.variant } : {}),
    bad: plan.bad.toString("hex"),
    real: side(r, real, marks[0] ?? 0),
    profile: side(p, profile, marks[1] ?? 0),
  };
  if (!sameSide(record.real, record.profile)) record.difference = explain(record, options.known);
  return record;
}

export interface DiffSummary {
  connections: number;
  same: number;
  /** Per known difference name (and "unexplained"): how many connections. */
  differences: Record<string, number>;
  /** Connections that sent a named variant of the corpus and differed at all (known or not; races included). */
  variantDifferences: number;
  /** Unexplained records, first ones kept in full. */
  unexplained: DiffRecord[];
  /** Connections the real broker refused or broke on (it crashed or hung), with the bytes sent. */
  realBrokerFailures: { id: number; error: string; bytes: string }[];
  /** Connections measured a second time because the first differed unexplained (or a named variant differed). */
  remeasured: number;
  durationMs: number;
}

/**
 * A difference worth a second measurement: unexplained, or any difference on a named variant. The real brokers'
 * timing varies from run to run (a log line written late on a loaded machine, a close racing its last line): such a
 * connection is run once more, and the second record stands if it agrees or differs in a named way; a difference
 * that is real shows twice.
 */
function worthRemeasure(record: DiffRecord): boolean {
  return (
    record.difference === "unexplained" || (record.plan === "variant" && record.difference !== undefined)
  );
}

/** A summary of no connections yet (diffRange's start, and the bench's sum of its lanes). */
export function emptySummary(): DiffSummary {
  return {
    connections: 0,
    same: 0,
    differences: {},
    variantDifferences: 0,
    unexplained: [],
    realBrokerFailures: [],
    remeasured: 0,
    durationMs: 0,
  };
}

/** Connections `from`…`to - 1` through one pair of brokers, one at a time. */
export async function diffRange(
  real: DiffTarget,
  profile: DiffTarget,
  from: number,
  to: number,
  options: DiffOptions & { keepUnexplained?: number; onRecord?: (r: DiffRecord) => void },
): Promise<DiffSummary> {
  const started = performance.now();
  const summary = emptySummary();
  const stalls = options.stalls ?? new StallMeter().start();
  for (let id = from; id < to; id++) {
    let record = await diffConnection(real, profile, id, { ...options, stalls });
    if (worthRemeasure(record) && !record.real.error) {
      summary.remeasured++;
      const again = await diffConnection(real, profile, id, { ...options, stalls });
      if (again.difference !== "unexplained") record = again;
    }
    summary.connections++;
    options.onRecord?.(record);
    if (record.real.error)
      summary.realBrokerFailures.push({
        id,
        error: record.real.error,
        bytes: connectionBytes(options.seed, id),
      });
    if (record.plan === "variant" && record.difference !== undefined) summary.variantDifferences++;
    if (record.difference === undefined) summary.same++;
    else {
      summary.differences[record.difference] = (summary.differences[record.difference] ?? 0) + 1;
      if (record.difference === "unexplained" && summary.unexplained.length < (options.keepUnexplained ?? 20))
        summary.unexplained.push(record);
    }
    if (record.real.error === "ECONNREFUSED") break; // the real broker is gone: nothing more to compare
  }
  if (!options.stalls) stalls.stop();
  summary.durationMs = performance.now() - started;
  return summary;
}
