import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseNanomqVersion } from "../../../src/core/options.js";
import { kickDelayAfterConnect } from "../../../src/keepalive/predict.js";
import { NANOMQ_VERSIONS, type NanomqVersion, nanomqAvailable } from "../../helpers/nanomq.js";
import {
  EXTRA_CASES,
  type FidelityCase,
  KEEPALIVE_S,
  MALFORMED_CASES,
  NO_CONNECT_CASE,
  profileFor,
  SCENARIO_CASES,
} from "./fidelity-cases.js";
import {
  comparable,
  KICK_TOLERANCE_S,
  type KnownDifference,
  pairKicks,
  summary,
} from "./fidelity-compare.js";
import {
  type CaseResult,
  type FidelityTarget,
  profileTarget,
  realTarget,
  runCase,
  runCases,
} from "./fidelity-run.js";

/**
 * Fidelity: every scenario (its fleet behaviour) and every malformed variant, plus the lines NanoMQ users meet
 * besides, run the same way against the real NanoMQ 0.21.9 and 0.25.3 and against the embedded `nanomq` profile with
 * the matching --nanomq-version, all at Q 1 s, M 1.25, keepalive 2 and a `warn` log. Compared case by case: the log
 * lines (signature id and message; timestamp, thread id, source path and line, function name and pipe id stripped),
 * what each client saw, and the kick times (within 0.1 s). Where the two differ on purpose the case names the
 * difference and its reason (KNOWN below), and the comparison applies it to both sides.
 *
 * The cases run in groups side by side, each group on a real broker and a profile of its own per version (beforeAll;
 * a case whose kicks disagree is measured again, see there); the `it`s compare. About 20 s of wall time.
 * MQDIAG_WRITE_FIDELITY=1 writes docs/nanomq-fidelity.md from the run.
 */

const CASES: FidelityCase[] = [...SCENARIO_CASES, ...MALFORMED_CASES, ...EXTRA_CASES];

/**
 * The long cases (5 to 11 s each) apart, in groups of their own; the rest (~1 s or less each) split in two. Each
 * group runs one case after another on its own pair of targets, so a case's lines are still those written while it
 * ran; no-connect (15 s) runs beside the first group.
 */
const LONG_GROUPS: readonly (readonly string[])[] = [
  ["keepalive-budget", "late-ping"],
  ["keepalive-1-2-4", "subscriber-only", "kick (MQTT 5)"],
];
function caseGroups(): FidelityCase[][] {
  const long = new Set(LONG_GROUPS.flat());
  const rest = CASES.filter((c) => !long.has(c.name));
  const groups = [
    ...LONG_GROUPS.map((g) => CASES.filter((c) => g.includes(c.name))),
    rest.filter((_, i) => i % 2 === 0),
    rest.filter((_, i) => i % 2 === 1),
  ];
  return groups.filter((g) => g.length > 0);
}
const CASE_NAMES = [...CASES.map((c) => c.name), NO_CONNECT_CASE.name];
const SOURCES = new Map([...CASES, NO_CONNECT_CASE].map((c) => [c.name, c.source]));

/**
 * The differences kept on purpose, beside the cases they touch: each either normalises both results before the
 * comparison, or pins what each side does instead of comparing. The docs table names it.
 */
const KNOWN: Record<string, KnownDifference> = {
  "corrupt-retain": {
    name: "retain-echo-race",
    reason:
      "the fresh subscriber deletes the retained message (a zero-length retained PUBLISH to its own topic) and DISCONNECTs at once: the real broker's echo of that PUBLISH races the DISCONNECT (measured: delivered, or dropped with `pipe id <n> is gone, pub failed` or ` send aio error Object closed(7)`), the profile always delivers it. The echo and those lines are left out on both sides. (The corrupt-retain fault itself cannot be injected into a real broker: the case runs without it; test/integration/broker/retain-corrupt.test.ts covers the fault's lines.)",
    normalise(r) {
      return {
        ...r,
        lines: r.lines.filter((l) => !isClosingPipeLine(l)),
        clients: r.clients.map((c) =>
          c.role === "fresh-subscriber"
            ? {
                ...c,
                received: c.received.filter(
                  (p, i) => !(p === "publish" && i === c.received.length - 1 && i > 1),
                ),
                bytesReceived: -1,
              }
            : c,
        ),
      };
    },
  },
  "oversize-publish": {
    name: "oversize-0.25",
    versions: ["0.25.3"],
    reason:
      "0.25.3 does not enforce `max_packet_size` (the check in broker_tcp.c is commented out): it takes the 12 KB PUBLISH, and the connection stays open, although its v5 CONNACK advertises the limit. The profile keeps enforcing its packet size limit (set to the same 10 KB here): the embedded broker never buffers a packet past it, for its own memory's sake. It closes with nng's rv 17, no complaint line.",
    pin(real, profile) {
      expect(real.clients[0]).toMatchObject({ closedBy: "client", reply: "" });
      expect(real.lines.filter((l) => l.id === "parse-error").map((l) => l.text)).toEqual([
        "tcptran_pipe_recv_cb: recv_error rv: 139",
      ]);
      expect(profile.clients[0]).toMatchObject({ closedBy: "broker", closeKind: "FIN", reply: "" });
      expect(profile.lines.filter((l) => l.id === "parse-error").map((l) => l.text)).toEqual([
        "tcptran_pipe_recv_cb: recv_error rv: 17",
      ]);
    },
  },
};

function pinHolds(known: KnownDifference, real: CaseResult, profile: CaseResult): boolean {
  try {
    known.pin?.(real, profile);
    return true;
  } catch {
    return false;
  }
}

/**
 * A message for a subscriber whose pipe is closing: `pipe id <n> is gone, pub failed` (the pipe is already gone) or
 * ` send aio error Object closed(7)` (0.25.3, the send is cut off). Measured in subscriber-only, when the feeder's
 * PUBLISH and the kick fall on the same instant, and in corrupt-retain's race; any case with a message in flight at
 * a close can show one. The embedded broker drops a closing client's subscriptions in the same step as its close,
 * so it has no such window and prints neither: left out on both sides, in every case (named in the doc).
 */
const CLOSING_PIPE = "pub-to-closing-pipe";
function isClosingPipeLine(l: { id: string; text: string }): boolean {
  return l.id === "known:pub-to-gone-pipe" || /^send aio error /.test(l.text.trim());
}
function withoutGonePipe(r: CaseResult): CaseResult {
  return { ...r, lines: r.lines.filter((l) => !isClosingPipeLine(l)) };
}

/** The known difference of a case on a version, if any. */
function knownFor(name: string, version: NanomqVersion): KnownDifference | undefined {
  const k = KNOWN[name];
  return k && (k.versions === undefined || k.versions.includes(version)) ? k : undefined;
}

/** Attempts at most for a case whose kick times disagree (see beforeAll). */
const MAX_ATTEMPTS = 3;

const root = join(dirname(fileURLToPath(import.meta.url)), "../../..");
const available = NANOMQ_VERSIONS.filter((v) => nanomqAvailable(v));

describe.runIf(available.length > 0)(
  "the nanomq profile behaves like the real NanoMQ 0.21.9 and 0.25.3",
  () => {
    const results = new Map<NanomqVersion, { real: CaseResult[]; profile: CaseResult[] }>();
    const targets: FidelityTarget[] = [];
    const attempts = new Map<string, number>();

    /** The kicks agree within 0.1 s (and, silent since CONNECT, with the tick model's 3.5 / 4.5 / 7.5 s). */
    function timingOk(version: NanomqVersion, name: string): boolean {
      const { real, profile } = pair(version, name);
      const ids = (r: CaseResult) => JSON.stringify(r.kicks.map((k) => k.clientId).sort());
      if (ids(real) !== ids(profile)) return true; // a difference of behaviour, not of timing: no second try
      const agree = pairKicks(real.kicks, profile.kicks).every(
        (k) => Math.abs(k.profileS - k.realS) <= KICK_TOLERANCE_S,
      );
      if (name !== "keepalive-1-2-4") return agree;
      const p = profileFor(parseNanomqVersion(version));
      return (
        agree &&
        [real, profile].every((side) =>
          side.kicks.every(
            (k) =>
              Math.abs(k.fromConnectS * 1000 - (kickDelayAfterConnect(p, k.keepaliveS * 1000)?.minMs ?? 0)) <=
              KICK_TOLERANCE_S * 1000,
          ),
        )
      );
    }

    beforeAll(async () => {
      const groups = caseGroups();
      expect(groups.flat().length).toBe(CASES.length);
      // Every broker up before any case starts: starting a real NanoMQ (a spawn, synchronous file work) stalls this
      // process for a moment, which would shift a running case's clock readings (measured: 0.2 s once).
      const pairs = await Promise.all(
        available.flatMap((version) =>
          groups.map(async (cases, g) => {
            const [real, profile] = await Promise.all([realTarget(version), profileTarget(version)]);
            targets.push(real, profile);
            return { version, cases, noConnect: g === 0, real, profile };
          }),
        ),
      );
      for (const version of available) results.set(version, { real: [], profile: [] });
      // Then all at once: each profile beside its real broker, so both see the same machine load.
      await Promise.all(
        pairs.map(async ({ version, cases, noConnect, real, profile }) => {
          const [r, p] = await Promise.all([
            runCases(real, cases, noConnect),
            runCases(profile, cases, noConnect),
          ]);
          const into = results.get(version);
          into?.real.push(...r);
          into?.profile.push(...p);
        }),
      );
      // A kick is a timing measurement on a shared machine: a busy CPU delays a close (a real NanoMQ's timer
      // thread was seen 0.13 s late under a loaded test run, while the model and the profile were on time). A case
      // whose kicks disagree by more than 0.1 s is measured again, both sides at once, at most twice; the doc says
      // how many attempts each case took. Lines and client views are compared on the attempt that counts.
      await Promise.all(
        pairs.map(async ({ version, cases, noConnect, real, profile }) => {
          const r = results.get(version);
          if (!r) return;
          for (const c of noConnect ? [...cases, NO_CONNECT_CASE] : cases) {
            let attempt = 1;
            while (attempt < MAX_ATTEMPTS && !timingOk(version, c.name)) {
              const [rr, pp] = await Promise.all([runCase(real, c), runCase(profile, c)]);
              r.real = r.real.map((x) => (x.name === c.name ? rr : x));
              r.profile = r.profile.map((x) => (x.name === c.name ? pp : x));
              attempt++;
            }
            attempts.set(`${version} ${c.name}`, attempt);
          }
        }),
      );
      await Promise.all(targets.map((t) => t.stop()));
    }, 400_000);

    afterAll(async () => {
      await Promise.all(targets.map((t) => t.stop()));
      if (process.env.MQDIAG_WRITE_FIDELITY === "1" && results.size === NANOMQ_VERSIONS.length) writeDoc();
    });

    function pair(version: NanomqVersion, name: string): { real: CaseResult; profile: CaseResult } {
      const r = results.get(version);
      const real = r?.real.find((c) => c.name === name);
      const profile = r?.profile.find((c) => c.name === name);
      if (!real || !profile) throw new Error(`no result for ${name} on ${version}`);
      const n = knownFor(name, version)?.normalise;
      const both = n ? { real: n(real), profile: n(profile) } : { real, profile };
      return { real: withoutGonePipe(both.real), profile: withoutGonePipe(both.profile) };
    }

    for (const version of available) {
      describe(`NanoMQ ${version}`, () => {
        it.each(CASE_NAMES)("%s: the same lines and the same client view", (name) => {
          const { real, profile } = pair(version, name);
          const pin = knownFor(name, version)?.pin;
          if (pin) pin(real, profile);
          else expect(comparable(profile)).toEqual(comparable(real));
        });

        it.each(CASE_NAMES)("%s: the same kicks, within 0.1 s", (name) => {
          const { real, profile } = pair(version, name);
          expect(profile.kicks.map((k) => k.clientId).sort()).toEqual(
            real.kicks.map((k) => k.clientId).sort(),
          );
          for (const k of pairKicks(real.kicks, profile.kicks))
            expect(Math.abs(k.profileS - k.realS), JSON.stringify(k)).toBeLessThanOrEqual(KICK_TOLERANCE_S);
        });

        it("kicks a client silent since CONNECT at 3.5 / 4.5 / 7.5 s for keepalive 1 / 2 / 4 (Q 1 s, M 1.25)", () => {
          const { real, profile } = pair(version, "keepalive-1-2-4");
          const p = profileFor(parseNanomqVersion(version));
          for (const k of [1, 2, 4]) {
            const model = kickDelayAfterConnect(p, k * 1000);
            expect(model?.minMs).toBe({ 1: 3500, 2: 4500, 4: 7500 }[k]);
            for (const side of [real, profile]) {
              const kick = side.kicks.find((x) => x.keepaliveS === k);
              expect(kick, `keepalive ${k}`).toBeDefined();
              expect(Math.abs((kick?.fromConnectS ?? 0) * 1000 - (model?.minMs ?? 0))).toBeLessThanOrEqual(
                KICK_TOLERANCE_S * 1000,
              );
            }
          }
        });

        it("drops a connection without CONNECT after 15 s with the era's nego lines", () => {
          const { real, profile } = pair(version, "no-connect");
          for (const side of [real, profile]) expect(side.kicks[0]?.fromConnectS).toBeCloseTo(15, 0);
          expect(real.lines.map((l) => l.text)).toEqual([
            "nego aio error: Timed out",
            version === "0.21.9" ? "connect nego error rv: Timed out(5)" : "connect nego error rv:(5)",
          ]);
        });
      });
    }

    function writeDoc(): void {
      const rows: string[] = [];
      let equal = 0;
      let knownCount = 0;
      for (const name of CASE_NAMES) {
        const cells: string[] = [];
        const profileCells: string[] = [];
        const names = new Set<string>();
        let ok = true;
        for (const version of NANOMQ_VERSIONS) {
          const { real, profile } = pair(version, name);
          const raw = results.get(version)?.real.find((c) => c.name === name);
          if (raw?.lines.some(isClosingPipeLine)) names.add(CLOSING_PIPE);
          const tries = attempts.get(`${version} ${name}`) ?? 1;
          cells.push(`${summary(real)}${tries > 1 ? ` (kicks: attempt ${tries})` : ""}`);
          const known = knownFor(name, version);
          if (known) names.add(known.name);
          const kicksAgree = pairKicks(real.kicks, profile.kicks).every(
            (k) => Math.abs(k.profileS - k.realS) <= KICK_TOLERANCE_S,
          );
          const linesAgree = known?.pin
            ? pinHolds(known, real, profile)
            : JSON.stringify(comparable(profile)) === JSON.stringify(comparable(real));
          ok &&= kicksAgree && linesAgree;
          profileCells.push(
            `${version}: ${linesAgree && !known?.pin ? "= real" : summary(profile)}${known ? ` (\`${known.name}\`)` : ""}`,
          );
        }
        if (ok && names.size === 0) equal++;
        else if (ok) knownCount++;
        const verdict = ok
          ? names.size > 0
            ? `yes, named known difference ${[...names].map((n) => `\`${n}\``).join(", ")}`
            : "yes"
          : "**NO**";
        rows.push(`| ${name} | ${cells.join(" | ")} | ${profileCells.join("<br>")} | ${verdict} |`);
      }
      const kicks = NANOMQ_VERSIONS.flatMap((version) => {
        const { real, profile } = pair(version, "keepalive-1-2-4");
        return pairKicks(real.kicks, profile.kicks).map(
          (k) => `| ${version} | ${k.keepaliveS} | ${k.realS.toFixed(3)} | ${k.profileS.toFixed(3)} |`,
        );
      });
      const doc = [
        "# NanoMQ fidelity: the real broker beside the `nanomq` profile",
        "",
        "Generated by `MQDIAG_WRITE_FIDELITY=1 npx vitest run test/integration/nanomq/fidelity.test.ts` (do not edit by",
        "hand). Each case runs the same way against the real NanoMQ 0.21.9 and 0.25.3 and against the embedded broker's",
        "`nanomq` profile with the matching `--nanomq-version`: Q (`retry_interval`) 1 s, M 1.25, keepalive 2 s, a `warn`",
        "log. Compared: the log lines in order (signature id and message; timestamp, thread id, source path and line,",
        "function name and pipe id stripped; 0.25.3's `online!`/`offline!`/`sleep aio error 7`, which land anywhere",
        "around the others, as a multiset), what each client saw (who closed, FIN/RST/DISCONNECT and reason code, the",
        "packets and bytes received), and kick times within 0.1 s. A case whose kicks disagree by more than 0.1 s is",
        "measured again (both sides at once, at most 3 attempts: a loaded machine delays a close); a cell says when",
        "an attempt other than the first counted.",
        "",
        `**${equal} of ${CASE_NAMES.length} cases equal on both versions; ${knownCount} equal but for a named known difference; ${CASE_NAMES.length - equal - knownCount} different.**`,
        "",
        "A cell reads: the chain of signature ids (with rv), `+n` interleaved online/offline/sleep lines, what the",
        "first client saw, and when the broker closed (s after CONNACK, or after the client's last packet when it sent",
        "one later).",
        "",
        `| case | real 0.21.9 | real 0.25.3 | profile | equal? |`,
        "|---|---|---|---|---|",
        ...rows,
        "",
        "## Cases",
        "",
        ...CASE_NAMES.map((n) => `- **${n}**: ${SOURCES.get(n) ?? ""}`),
        "",
        "## Named known differences",
        "",
        ...Object.entries(KNOWN).map(
          ([c, k]) => `- \`${k.name}\` (${c}${k.versions ? `, ${k.versions.join(", ")}` : ""}): ${k.reason}`,
        ),
        "- `pub-to-closing-pipe` (any case): `pipe id <n> is gone, pub failed` and (0.25.3) ` send aio error Object closed(7)` are the real broker routing a message to a subscriber whose pipe is closing (seen when a PUBLISH and a kick fall on the same instant, and in corrupt-retain's race). The embedded broker drops a closing client's subscriptions in the same step as its close and prints neither. Left out on both sides; a row names it when the real broker printed one in this run.",
        "- `timer-race` (any case, 0.25.3): a closing pipe's timer prints `sleep aio error 7` (cancelled) or `pipe is already closed` (it fired in the instant before the close reached it), one or the other per closing pipe; the profile prints the first, and the comparison counts both as that one event.",
        "- `blank-lines`: messages that end in their own newline (`nni aio recv error!! …`, the rv line, `Size of packet exceeds limitation`) leave a blank line in the real file log; the profile's log is one record per line. Blank lines are not compared.",
        "- `max-packet-size-count`: 0.21.9 compares `max_packet_size` with the remaining length, the embedded broker with the whole packet (2–5 bytes more): a packet within those few bytes of the limit is refused by the profile and taken by 0.21.9. The 12 KB case is far past both.",
        "- `shared-subscriptions`: not exercised by this suite; `test/integration/nanomq/mqtt5-shared-subscriptions.test.ts` runs them on the real 0.25.3 and the profile side by side.",
        "",
        "## Kick times, keepalive silent from CONNECT (s after CONNACK)",
        "",
        "| version | keepalive | real | profile |",
        "|---|---|---|---|",
        ...kicks,
        "",
        `The tick model predicts ${[1, 2, 4]
          .map((k) => `${(kickDelayAfterConnect(profileFor([0, 25, 3]), k * 1000)?.minMs ?? 0) / 1000}`)
          .join(" / ")} s for keepalive 1 / 2 / 4 (keepalive ${KEEPALIVE_S} is the suite's default).`,
        "",
      ].join("\n");
      writeFileSync(join(root, "docs", "nanomq-fidelity.md"), doc);
    }
  },
);
