import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../helpers/cli.js";
import { externalScenarioArgs, type Nanomq, nanomqAvailable, startNanomq } from "../../helpers/nanomq.js";

/**
 * Named clients against the truth: scenarios run against the real NanoMQ 0.25.3 at `log.level = info` (Q 1 s,
 * keepalive 2, three clients of each behaviour at once, every malformed variant), then `mqdiag logs` reads what it
 * wrote. The scenario report says, for every client id, who closed its connection and how: that is the ground
 * truth each named incident is held to, one by one, and the count of named incidents per kind must be exact. The
 * scenarios run in groups side by side, each group on a broker of its own whose log is read and held to its own
 * clients.
 */

interface ReportClient {
  clientId: string;
  behaviour: string;
  control: boolean;
  closedBy: "broker" | "client" | null;
  closeKind: "FIN" | "RST" | "DISCONNECT" | null;
}
interface LogsReport {
  incidents: { kind: string; count: number; clients: string[] }[];
  settings: { retryIntervalS: number; keepaliveMultiplier: number } | null;
  named: { kind: string; client: { id: string; reasonCode: string; ip: string } }[];
  namedCount: number;
  kickChecks: { checked: number; unchecked: number; earlyCount: number } | null;
  notes: unknown[];
}

/** The scenarios, a group per broker (the two longest, late-ping and subscriber-only, apart). */
const GROUPS = [
  ["late-ping", "tcp-rst"],
  ["subscriber-only", "session-takeover"],
  ["malformed-packet", "fin-close"],
];
const CLIENTS = 3;

/** The incident a client's own outcome makes NanoMQ name it under, or null when none (clean, or no pipe). */
function expectedKind(c: ReportClient): string | null {
  if (c.control) return null;
  if (c.closedBy === "client") return c.closeKind === "RST" || c.closeKind === "FIN" ? "peer-gone" : null;
  if (c.closedBy !== "broker") return null;
  switch (c.behaviour) {
    case "late-ping":
    case "subscriber-only":
      return "keepalive-timeout";
    case "takeover":
      return "takeover";
    case "malformed":
      // garbage instead of CONNECT: no pipe was ever made, so no pipe close! line (bad-connect, unnamed)
      if (c.clientId.includes("garbage-before-connect")) return null;
      // a PUBLISH NanoMQ rejects with a DISCONNECT (wildcard or bad UTF-8 topic): rejected-publish
      return c.closeKind === "DISCONNECT" ? "rejected-publish" : "malformed-packet";
    default:
      return null;
  }
}

const sorted = (pairs: string[]) => [...pairs].sort();

/** One group's scenarios on its broker: every client of their report, and `mqdiag logs` on that broker's log. */
interface GroupRun {
  clients: ReportClient[];
  logs: LogsReport;
}

async function runGroup(scenarios: string[], brokers: Nanomq[]): Promise<GroupRun> {
  const broker = await startNanomq("0.25.3", { level: "info" });
  brokers.push(broker);
  const r = await runCli(
    [
      "scenario",
      ...scenarios,
      ...externalScenarioArgs(broker),
      "--clients",
      String(CLIENTS),
      "--malformed",
      "all",
      "--format",
      "json",
    ],
    { timeoutMs: 120_000 },
  );
  expect([0, 1], r.stderr).toContain(r.code);
  const clients = (JSON.parse(r.stdout) as { scenarios: { clients: ReportClient[] }[] }).scenarios.flatMap(
    (s) => s.clients,
  );
  // The last closes (the clients NanoMQ keeps open close with FIN as their scenario ends) are written a moment later.
  await new Promise((resolve) => setTimeout(resolve, 800));
  const l = await runCli(["logs", broker.logPath, "--format", "json"]);
  expect(l.code, l.stderr).toBe(0);
  return { clients, logs: JSON.parse(l.stdout) as LogsReport };
}

// The groups, and the --broker-log check on a broker of its own, side by side.
const CONCURRENT = { concurrent: true };

describe(
  "mqdiag logs names every client a real NanoMQ 0.25.3 closed, at log.level = info",
  CONCURRENT,
  () => {
    const run = nanomqAvailable("0.25.3");
    const brokers: Nanomq[] = [];
    let groups: GroupRun[] = [];

    beforeAll(async () => {
      if (!run) return;
      // Settled, not Promise.all: a failed group must not leave the others running past afterAll's stop.
      const settled = await Promise.allSettled(GROUPS.map((g) => runGroup(g, brokers)));
      for (const s of settled) if (s.status === "rejected") throw s.reason;
      groups = settled.map((s) => (s as PromiseFulfilledResult<GroupRun>).value);
    }, 150_000);
    afterAll(async () => {
      await Promise.all(brokers.map((b) => b.stop()));
    });

    it.runIf(run)("each named incident is the client's own outcome, and every closed client is named", () => {
      let total = 0;
      for (const { clients, logs } of groups) {
        const expected = clients.flatMap((c) => {
          const kind = expectedKind(c);
          return kind ? [`${kind} ${c.clientId}`] : [];
        });
        total += expected.length;
        const got = logs.named.map((n) => `${n.kind} ${n.client.id}`);
        console.log(
          `NanoMQ 0.25.3 at info: ${got.length} named of ${logs.incidents.reduce((n, i) => n + i.count, 0)} incidents; expected ${expected.length}`,
        );
        expect(sorted(got)).toEqual(sorted(expected));
        expect(logs.namedCount).toBe(expected.length);
        for (const n of logs.named) expect(n.client.ip, n.client.id).toBe("127.0.0.1");
        for (const n of logs.named.filter((x) => x.kind === "keepalive-timeout"))
          expect(n.client.reasonCode).toBe("0x8d");
        for (const n of logs.named.filter((x) => x.kind === "peer-gone"))
          expect(n.client.reasonCode).toBe("0x8b");
      }
      expect(total).toBeGreaterThanOrEqual(CLIENTS * 5);
    });

    it.runIf(run)("incidents of the kinds a pipe close! line names are all named, counted exactly", () => {
      for (const { logs } of groups) {
        for (const kind of [
          "keepalive-timeout",
          "peer-gone",
          "takeover",
          "malformed-packet",
          "rejected-publish",
        ]) {
          const incident = logs.incidents.find((i) => i.kind === kind);
          const named = logs.named.filter((n) => n.kind === kind).length;
          expect(incident?.count ?? 0, kind).toBe(named);
          expect(sorted(incident?.clients ?? []), kind).toEqual(
            sorted([...new Set(logs.named.filter((n) => n.kind === kind).map((n) => n.client.id))]),
          );
        }
        expect(logs.notes).toEqual([]);
      }
    });

    it.runIf(run)(
      "reads Q and M from the broker's own start-up block; no kick sooner than the model allows",
      () => {
        for (const { clients, logs } of groups) {
          expect(logs.settings).toMatchObject({ retryIntervalS: 1, keepaliveMultiplier: 1.25 });
          const kicked = clients.filter((c) => expectedKind(c) === "keepalive-timeout").length;
          expect(logs.kickChecks).toEqual({ checked: kicked, unchecked: 0, earlyCount: 0, early: [] });
        }
      },
    );
  },
);

describe("scenario --broker-log on a real NanoMQ 0.25.3 at log.level = info", CONCURRENT, () => {
  const run = nanomqAvailable("0.25.3");
  let broker: Nanomq | undefined;
  beforeAll(async () => {
    if (run) broker = await startNanomq("0.25.3", { level: "info" });
  });
  afterAll(async () => {
    await broker?.stop();
  });

  it.runIf(run)(
    "scenario --broker-log takes Q and M from that block: no --retry-interval needed",
    async () => {
      const url = broker?.url as string;
      const log = broker?.logPath as string;
      const r = await runCli(
        [
          "scenario",
          "late-ping",
          "--broker",
          url,
          "--broker-log",
          log,
          "--keepalive",
          "2",
          "--format",
          "json",
        ],
        { timeoutMs: 60_000 },
      );
      expect(r.code, r.stderr).toBe(0);
      const target = (JSON.parse(r.stdout) as { target: Record<string, unknown> }).target;
      expect(target).toMatchObject({
        retryInterval: 1,
        keepaliveMultiplier: 1.25,
        settingsFromLog: { retryInterval: 1, keepaliveMultiplier: 1.25 },
      });
      // An option given wins over the log.
      const t = await runCli(
        [
          "scenario",
          "tcp-rst",
          "--broker",
          url,
          "--broker-log",
          log,
          "--retry-interval",
          "3",
          "--format",
          "json",
        ],
        { timeoutMs: 60_000 },
      );
      const given = (JSON.parse(t.stdout) as { target: Record<string, unknown> }).target;
      expect(given).toMatchObject({ retryInterval: 3, settingsFromLog: { retryInterval: 1 } });
    },
  );
});
