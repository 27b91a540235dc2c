import type { ClientView, KickTime } from "./fidelity-cases.js";
import { type NanomqLine, showLine } from "./fidelity-lines.js";
import type { CaseResult } from "./fidelity-run.js";

/**
 * Comparing one case's real-broker result with the profile's.
 *
 * Lines: NanoMQ writes from several threads, and measured over repeated runs (the suite was run 3× per case against
 * both builds) the lines that belong to the connection's own chain — the complaint, the recv error, the rv — always
 * come in the same order, while 0.25.3's `<id> online!` / `<id> offline!` and `sleep aio error 7` (other threads:
 * the protocol layer and the pipe's timer) land anywhere around them. So the chain is compared in order and those
 * interleaving lines as a multiset: exactly the variants measured, no more.
 *
 * Clients: what each connection saw — who closed, FIN/RST/DISCONNECT and its reason code, the packets and bytes
 * received — with runs of the same packet (a stream of PUBLISHes, PINGRESPs) counted as one: how many fit before a
 * kick is a matter of milliseconds, not of the broker's behaviour.
 *
 * Kicks: the broker's close after CONNECT and after the client's last packet, within KICK_TOLERANCE_S.
 */
export const KICK_TOLERANCE_S = 0.1;

export const INTERLEAVED = /^(\S+ online!|\S+ offline!|sleep aio error \d+|pipe is already closed)$/;

/**
 * A closing pipe's keepalive timer is either cancelled (`sleep aio error 7`) or, when it fires in the instant before
 * the close reaches it, finds the pipe closed (`pipe is already closed`, 0.25.3): one or the other per closing pipe
 * (read in nano_pipe_timer_cb), which one is a race — seen as the second on a feeder's close with three real-NanoMQ
 * files running at once. The profile prints the first; both count as the same event.
 */
export function sameTimerEvent(shown: string): string {
  return shown.replace(
    /^known:timer-on-closing-pipe · WARN · pipe is already closed$/,
    "known:timer-cancelled · WARN · sleep aio error 7",
  );
}

export interface Comparable {
  chain: string[];
  interleaved: string[];
  clients: ClientView[];
}

function collapseRuns(list: string[]): string[] {
  const out: string[] = [];
  for (const p of list) {
    const last = out[out.length - 1];
    if (last === p || last === `${p}+`) out[out.length - 1] = `${p}+`;
    else out.push(p);
  }
  return out;
}

function normaliseView(v: ClientView): ClientView {
  const received = collapseRuns(v.received);
  const collapsed = received.some((p) => p.endsWith("+"));
  // With a run collapsed, the byte count says how long the run was: left out for the same reason.
  return { ...v, received, bytesReceived: collapsed ? -1 : v.bytesReceived };
}

export function comparable(r: CaseResult): Comparable {
  const show = (l: NanomqLine) => showLine(l);
  return {
    chain: r.lines.filter((l) => !INTERLEAVED.test(l.text)).map(show),
    interleaved: r.lines
      .filter((l) => INTERLEAVED.test(l.text))
      .map((l) => sameTimerEvent(show(l)))
      .sort(),
    clients: r.clients.map(normaliseView),
  };
}

export interface KickComparison {
  clientId: string;
  keepaliveS: number;
  realS: number;
  profileS: number;
  /** Seconds from CONNECT (CONNACK) or from the last packet the client sent, whichever the case is about. */
  from: "connect" | "last packet";
}

/** Pairs the kicks of the two results by client id; a kick on one side only is a difference of the clients. */
export function pairKicks(real: KickTime[], profile: KickTime[]): KickComparison[] {
  return real.flatMap((k) => {
    const p = profile.find((q) => q.clientId === k.clientId);
    if (!p) return [];
    const fromLast = k.fromLastSendS < k.fromConnectS - 0.05;
    return [
      {
        clientId: k.clientId,
        keepaliveS: k.keepaliveS,
        realS: fromLast ? k.fromLastSendS : k.fromConnectS,
        profileS: fromLast ? p.fromLastSendS : p.fromConnectS,
        from: fromLast ? "last packet" : "connect",
      },
    ];
  });
}

/** A difference the suite keeps on purpose, with its reason. */
export interface KnownDifference {
  name: string;
  reason: string;
  /** The versions it applies to (default: both). */
  versions?: readonly string[];
  /** Applied to both results before they are compared. */
  normalise?(r: CaseResult): CaseResult;
  /** Instead of the comparison: asserts what each side does, so the difference stays exactly the one named. */
  pin?(real: CaseResult, profile: CaseResult): void;
}

/**
 * Short text of a result for the docs table: the chain's signature ids, what the first client saw, and when the
 * broker closed (after CONNACK, or after the client's last packet when it sent one later).
 */
export function summary(r: CaseResult): string {
  const ids = r.lines
    .filter((l) => !INTERLEAVED.test(l.text))
    .map((l) => {
      const rv = /rv:? ?(?:[A-Za-z #0-9]*\()?(\d+)\)?$/.exec(l.text)?.[1];
      return rv && (l.id === "parse-error" || l.text.includes("nego error")) ? `${l.id} ${rv}` : l.id;
    });
  const extra = r.lines.filter((l) => INTERLEAVED.test(l.text)).length;
  const main = r.clients[0];
  const answered = main?.reply ? `, answered ${main.reply}` : "";
  const seen = !main
    ? ""
    : main.closedBy === "broker"
      ? `broker closed: ${main.closeKind}${main.reasonCode ? ` 0x${main.reasonCode.toString(16)}` : ""}${answered}`
      : `stayed open${answered}, client closed: ${main.closeKind}`;
  const kicks = r.kicks
    .filter((k) => k.fromConnectS > 0.2)
    .map(
      (k) => `${(k.fromLastSendS < k.fromConnectS - 0.05 ? k.fromLastSendS : k.fromConnectS).toFixed(2)} s`,
    );
  return [
    ids.length > 0 ? ids.join(" → ") : "no line",
    extra > 0 ? `+${extra} online/offline/sleep` : "",
    seen,
    kicks.length > 0 ? `at ${kicks.join(", ")}` : "",
  ]
    .filter((s) => s !== "")
    .join("; ");
}
