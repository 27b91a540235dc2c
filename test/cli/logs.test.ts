import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Broker, startBroker } from "../../src/broker/index.js";
import { scaledClock } from "../../src/core/clock.js";
import {
  DEFAULT_PROFILE_OPTIONS,
  NANOMQ_LATEST,
  type NanomqVersion,
  type ProfileName,
} from "../../src/core/profile.js";
import { MALFORMED_VARIANTS } from "../../src/fleet/malformed.js";
import { classifyText } from "../../src/logs/classify.js";
import { DEFAULT_SCENARIO_OPTIONS, runScenarios, type ScenarioName } from "../../src/scenarios/index.js";
import { runCli, spawnCli } from "../helpers/cli.js";
import { mosquittoAvailable, startMosquitto } from "../helpers/mosquitto.js";
import { type RawClient, rawConnect, rawConnectMqtt } from "../helpers/raw-client.js";

const fixture = (name: string) => new URL(`../fixtures/logs/${name}`, import.meta.url).pathname;

interface LogsJson {
  schema: string;
  files: string[];
  dialect: string;
  lines: number;
  signatures: { id: string; count: number; first: string | null; last: string | null }[];
  incidents: { kind: string; count: number; first: string | null; last: string | null; clients: string[] }[];
  unparsed: number[];
}

async function logsJson(args: string[], input?: string): Promise<LogsJson> {
  const r = await runCli(["logs", ...args, "--format", "json"], { input });
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as LogsJson;
}
const kinds = (j: LogsJson) => Object.fromEntries(j.incidents.map((i) => [i.kind, i.count]));

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "mqdiag-logs-cli-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// These cases use files of their own (the CLI reads them): they run side by side. (Not the embedded brokers' below:
// at × 20 a lagging event loop turns into a CONNECT timeout.)
describe.concurrent("mqdiag logs", () => {
  it("prints mqdiag.logs/v1 with exactly the documented fields", async () => {
    const j = await logsJson([fixture("nanomq-0.21.9-console.log")]);
    expect(Object.keys(j)).toEqual([
      "schema",
      "files",
      "dialect",
      "lines",
      "signatures",
      "incidents",
      "known",
      "unparsed",
      "advice",
      "settings",
      "pipeCloses",
      "named",
      "namedCount",
      "kickChecks",
      "notes",
    ]);
    expect(j.schema).toBe("mqdiag.logs/v1");
    expect(j.dialect).toBe("nanomq");
    expect(j.lines).toBe(30);
    expect(j.unparsed).toEqual([30]);
    expect(Object.keys(j.signatures[0] ?? {})).toEqual(["id", "count", "first", "last"]);
    expect(Object.keys(j.incidents[0] ?? {})).toEqual(["kind", "count", "first", "last", "clients"]);
    expect(j.incidents.find((i) => i.kind === "keepalive-timeout")).toEqual({
      kind: "keepalive-timeout",
      count: 1,
      first: "2024-05-01T12:01:10",
      last: "2024-05-01T12:01:10",
      clients: [],
    });
    // A NanoMQ log without `pipe close!` lines: nothing named, one note on how to have names.
    const names = j as unknown as { settings: unknown; named: unknown[]; notes: { code: string }[] };
    expect(names.settings).toBeNull();
    expect(names.named).toEqual([]);
    expect(names.notes.map((n) => n.code)).toEqual(["nanomq-log-level-info"]);
  });

  it("reads gzip files and stdin the same as the plain file", async () => {
    const plain = await logsJson([fixture("mosquitto-2.0.log")]);
    const gz = join(dir, "mosquitto.log.gz");
    writeFileSync(gz, gzipSync(readFileSync(fixture("mosquitto-2.0.log"))));
    const zipped = await logsJson([gz]);
    const piped = await logsJson(["-"], readFileSync(fixture("mosquitto-2.0.log"), "utf8"));
    expect(zipped.incidents).toEqual(plain.incidents);
    expect(piped.incidents).toEqual(plain.incidents);
    expect(piped.signatures).toEqual(plain.signatures);
    expect(plain.incidents.find((i) => i.kind === "keepalive-timeout")?.first).toBe("2024-05-01T12:00:16Z");
  });

  it("reads several files, each in its own dialect", async () => {
    const j = await logsJson([fixture("mosquitto-2.0.log"), fixture("nanomq-0.25-file.log")]);
    expect(j.dialect).toBe("mixed");
    expect(kinds(j)["keepalive-timeout"]).toBe(2);
  });

  it("exits 2 with one line for a missing file, a directory, a bad option", async () => {
    const cases = [
      ["logs", join(dir, "nope.log")],
      ["logs", dir],
      ["logs", "x", "--dialect", "emqx"],
      ["logs", fixture("mosquitto-2.0.log"), "--fail-on", "bogus"],
      ["logs", fixture("mosquitto-2.0.log"), "--from-end"],
      ["logs", "-", "--follow", "--from-end"],
      ["logs", fixture("mosquitto-2.0.log"), fixture("nanomq-0.25-file.log"), "--follow"],
    ];
    const results = await Promise.all(cases.map((args) => runCli(args)));
    for (const [i, r] of results.entries()) {
      const args = cases[i] as string[];
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stdout).toBe("");
    }
  });

  it("exits 1 when a --fail-on kind is seen, 0 when not", async () => {
    const log = fixture("mosquitto-2.0.log");
    expect((await runCli(["logs", log, "--fail-on", "takeover"])).code).toBe(1);
    expect((await runCli(["logs", log, "--fail-on", "any"])).code).toBe(1);
    expect((await runCli(["logs", log, "--fail-on", "retain-decode-failure"])).code).toBe(0);
  });

  it("survives random bytes and a truncated gzip: no stack trace, what was readable is reported", async () => {
    const random = join(dir, "random.bin");
    let seed = 42;
    const bytes = Buffer.alloc(256 * 1024, 0).map(() => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed >> 16;
    });
    writeFileSync(random, bytes);
    const r = await runCli(["logs", random, "--format", "json"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const j = JSON.parse(r.stdout) as LogsJson;
    expect(j.dialect).toBe("unknown");
    expect(j.unparsed.length).toBeGreaterThan(0);

    const truncated = join(dir, "truncated.log.gz");
    const whole = gzipSync(readFileSync(fixture("nanomq-0.21.9-console.log")).toString().repeat(50));
    writeFileSync(truncated, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const t = await runCli(["logs", truncated]);
    expect(t.code).toBe(0);
    expect(t.stderr).toMatch(/^mqdiag: warning: .*truncated\.log\.gz: read stopped after line \d+/);
    expect(t.stderr.trim().split("\n")).toHaveLength(1);
    expect(t.stdout).toContain("keepalive-timeout");
  });
});

/** Drives the embedded broker (or any broker on `port`) through the field faults, one at a time. */
async function exercise(port: number, options: { noConnect: boolean }): Promise<void> {
  const clients: RawClient[] = [];
  const track = (c: RawClient) => {
    clients.push(c);
    return c;
  };
  try {
    const ka = track(await rawConnectMqtt(port, { clientId: "ka", keepalive: 1 }));
    expect((await ka.waitForEnd(15_000)).kind).not.toBe("open");
    const rst = track(await rawConnectMqtt(port, { clientId: "rst" }));
    rst.reset();
    await new Promise((r) => setTimeout(r, 100));
    const old = track(await rawConnectMqtt(port, { clientId: "dup" }));
    const fresh = track(await rawConnectMqtt(port, { clientId: "dup" }));
    expect((await old.waitForEnd(5000)).kind).not.toBe("open");
    fresh.send(Buffer.from("e000", "hex"));
    await fresh.waitForEnd(5000);
    for (const v of MALFORMED_VARIANTS) {
      if (v.name === "packet-type-0" || v.name === "pingreq-flags") continue; // NanoMQ accepts them silently
      const c = track(
        v.beforeConnect ? await rawConnect(port) : await rawConnectMqtt(port, { clientId: v.name }),
      );
      c.send(v.bytes);
      expect((await c.waitForEnd(5000)).kind, v.name).not.toBe("open");
    }
    const clean = track(await rawConnectMqtt(port, { clientId: "clean" }));
    clean.send(Buffer.from("e000", "hex"));
    await clean.waitForEnd(5000);
    if (options.noConnect) {
      const idle = track(await rawConnect(port));
      expect((await idle.waitForEnd(10_000)).kind).not.toBe("open");
    }
    await new Promise((r) => setTimeout(r, 100));
  } finally {
    for (const c of clients) c.destroy();
  }
}

/**
 * As the real builds behave: an empty SUBSCRIBE leaves the connection open (0.21.9 says `NOT utf8-encoded string OR
 * null string.`, 0.25.3 nothing), so that client is kicked later; 0.21.9 prints no collision line, so its takeover
 * is a broker-closed (the log does not say why the broker closed the pipe).
 */
const NANOMQ_EXPECTED = {
  "keepalive-timeout": 2,
  "peer-gone": 1,
  takeover: 1,
  "malformed-packet": 4,
  "rejected-publish": 2,
  "bad-connect": 1,
  "connect-timeout": 1,
};
const NANOMQ_0_21_EXPECTED = {
  "keepalive-timeout": 2,
  "peer-gone": 1,
  "broker-closed": 1,
  "malformed-packet": 5,
  "rejected-publish": 2,
  "bad-connect": 1,
  "connect-timeout": 1,
};

describe("the embedded broker's own log, run through mqdiag logs", () => {
  const cases: {
    name: string;
    profile: ProfileName;
    version: NanomqVersion;
    expected: Record<string, number>;
  }[] = [
    { name: "nanomq latest", profile: "nanomq", version: NANOMQ_LATEST, expected: NANOMQ_EXPECTED },
    { name: "nanomq 0.21", profile: "nanomq", version: [0, 21, 0], expected: NANOMQ_0_21_EXPECTED },
    {
      name: "mosquitto",
      profile: "mosquitto",
      version: NANOMQ_LATEST,
      // docs/mosquitto-measured.md: which variants are protocol errors and which malformed on 3.1.1.
      expected: {
        "keepalive-timeout": 1,
        "peer-gone": 1,
        takeover: 1,
        "protocol-error": 3,
        "malformed-packet": 4,
        "bad-connect": 1,
        "clean-disconnect": 2,
      },
    },
  ];
  it.each(cases)(
    "$name: gives back exactly the incidents of the faults it was put through",
    async ({ profile, version, expected }) => {
      let broker: Broker | undefined;
      try {
        broker = await startBroker({
          port: 0,
          profile,
          nanomqVersion: version,
          retryIntervalMs: 1000,
          keepaliveMultiplier: 1.25,
          connectTimeoutMs: 2000,
          clock: scaledClock(20),
        });
        await exercise(broker.port, { noConnect: profile === "nanomq" });
        const path = join(dir, `${profile}-${version.join(".")}.log`);
        writeFileSync(
          path,
          `${broker
            .logLines()
            .map((l) => l.line)
            .join("\n")}\n`,
        );
        const j = await logsJson([path]);
        expect(j.dialect).toBe(profile);
        expect(j.unparsed).toEqual([]);
        expect(kinds(j)).toEqual(expected);
      } finally {
        await broker?.close();
      }
    },
  );
});

describe.runIf(mosquittoAvailable())("a log written by the real mosquitto 2.0", () => {
  it("classifies its keepalive kick, reset, takeover, protocol errors and clean disconnects", async () => {
    const mosquitto = await startMosquitto();
    try {
      await exercise(mosquitto.port, { noConnect: false });
      await mosquitto.waitForLog(/Client clean disconnected\./);
      const j = await logsJson([mosquitto.logPath]);
      expect(j.dialect).toBe("mosquitto");
      expect(mosquitto.log()).toContain("Client <unknown> closed its connection.");
      expect(kinds(j)).toEqual({
        "keepalive-timeout": 1,
        "peer-gone": 1, // the reset
        "closed-before-connect": 1, // the harness's own port probe: `Client <unknown> closed its connection.`
        takeover: 1,
        "protocol-error": 3,
        "malformed-packet": 4,
        "bad-connect": 1,
        "clean-disconnect": 2,
      });
      expect(j.incidents.find((i) => i.kind === "keepalive-timeout")?.clients).toEqual(["ka"]);
      expect(j.incidents.find((i) => i.kind === "takeover")?.clients).toEqual(["dup"]);
      expect(j.incidents.find((i) => i.kind === "peer-gone")?.clients).toEqual(["rst"]);
    } finally {
      await mosquitto.stop();
    }
  });
});

/** The incident each scenario's fault is, under NanoMQ. */
const SCENARIO_INCIDENTS: Partial<Record<ScenarioName, string>> = {
  "late-ping": "keepalive-timeout",
  "subscriber-only": "keepalive-timeout",
  "tcp-rst": "peer-gone",
  "fin-close": "peer-gone",
  "malformed-packet": "malformed-packet",
  "corrupt-retain": "retain-decode-failure",
  "session-takeover": "takeover",
  "no-connect": "connect-timeout",
};

describe("the scenarios' broker lines, run through the classifier and mqdiag logs", () => {
  it.each([
    ["latest", NANOMQ_LATEST],
    ["0.21", [0, 21, 0] as NanomqVersion],
  ])(
    "nanomq %s: each scenario's lines are exactly its incident, and the signatures it saw",
    async (_, version) => {
      // NanoMQ before 0.21.10 logs nothing for a corrupt retained message.
      const old = version[1] === 21;
      const names = (Object.keys(SCENARIO_INCIDENTS) as ScenarioName[]).filter(
        (n) => !old || n !== "corrupt-retain",
      );
      const run = await runScenarios({
        names,
        profile: { ...DEFAULT_PROFILE_OPTIONS, nanomqVersion: version },
        options: DEFAULT_SCENARIO_OPTIONS,
        timeScale: "auto",
      });
      const all: string[] = [];
      for (const result of run.scenarios) {
        expect(result.verdict, result.name).toBe("reproduced");
        const lines = result.signatures.map((s) => s.line);
        all.push(...lines);
        const summary = classifyText(lines.join("\n"));
        const ids = (xs: string[]) => [...xs].sort();
        expect(
          ids([...summary.signatures].flatMap(([id, s]) => Array(s.count).fill(id))),
          result.name,
        ).toEqual(ids(result.signatures.map((s) => s.id)));
        expect(
          kinds({ incidents: [...summary.incidents.values()] } as unknown as LogsJson),
          result.name,
        ).toEqual({
          // 0.21.9 prints no collision line: its takeover reads as a close the log gives no cause for.
          [old && result.name === "session-takeover"
            ? "broker-closed"
            : (SCENARIO_INCIDENTS[result.name] as string)]: 1,
        });
      }
      const path = join(dir, `scenarios-${version.join(".")}.log`);
      writeFileSync(path, `${all.join("\n")}\n`);
      const j = await logsJson([path]);
      expect(kinds(j)).toEqual({
        "keepalive-timeout": 2,
        "peer-gone": 2,
        "malformed-packet": 1,
        ...(old ? { "broker-closed": 1 } : { "retain-decode-failure": 1, takeover: 1 }),
        "connect-timeout": 1,
      });
    },
  );
});

describe("mqdiag logs --follow", () => {
  it("prints each incident as it completes and the summary on SIGINT, exit 0", async () => {
    const path = join(dir, "follow.log");
    writeFileSync(path, "");
    const cli = spawnCli(["logs", "--follow", path, "--format", "json"]);
    const { child, exited } = cli;
    try {
      const until = async (check: () => boolean) => {
        const deadline = Date.now() + 10_000;
        while (!check()) {
          if (Date.now() > deadline)
            throw new Error(
              `timed out (exit ${child.exitCode}); stdout:\n${cli.stdout()}\nstderr:\n${cli.stderr()}`,
            );
          await new Promise((r) => setTimeout(r, 20));
        }
      };
      await new Promise((r) => setTimeout(r, 300));
      appendFileSync(path, "1714564816: Client s1 has exceeded timeout, disconnecting.\n");
      await until(() => cli.stdout().includes("\n"));
      expect(JSON.parse(cli.stdout().split("\n")[0] as string)).toMatchObject({
        schema: "mqdiag.logs.incident/v1",
        kind: "keepalive-timeout",
        clients: ["s1"],
      });
      child.kill("SIGINT");
      expect(await exited).toBe(0);
      const out = cli.stdout();
      const summary = JSON.parse(out.slice(out.indexOf("\n") + 1)) as LogsJson;
      expect(summary.schema).toBe("mqdiag.logs/v1");
      expect(kinds(summary)).toEqual({ "keepalive-timeout": 1 });
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});

describe("mqdiag logs: dialects built from broker sources (not run)", () => {
  it("an EMQX log: its kicks and takeovers with client ids, EMQX's keepalive levers; the table says where the format came from", async () => {
    const j = await logsJson([fixture("emqx-5.8-text.log")]);
    expect(j.dialect).toBe("emqx");
    expect(j.incidents.find((i) => i.kind === "keepalive-timeout")?.clients).toEqual([
      "sensor-1",
      "sensor-6",
    ]);
    const advice = (j as LogsJson & { advice: { kind: string; broker: string; fixes: { code: string }[] }[] })
      .advice;
    expect(advice.find((a) => a.kind === "keepalive-timeout")?.fixes.map((f) => f.code)).toEqual([
      "emqx-keepalive-multiplier",
      "emqx-keepalive-check-interval",
      "emqx-upgrade-keepalive",
      "client-ping-within-keepalive",
    ]);
    const table = await runCli(["logs", fixture("hivemq-event.log")]);
    // the header wraps where the file's path puts it: read it with its line breaks as spaces
    expect(table.stdout.replace(/\s+/g, " ")).toContain(
      "hivemq (line formats from the broker's source, not run)",
    );
  });

  it("--dialect vernemq reads a VerneMQ log; another broker's log under it is all unparsed", async () => {
    expect(kinds(await logsJson([fixture("vernemq-1-lager.log"), "--dialect", "vernemq"]))).toEqual({
      "keepalive-timeout": 2,
    });
    const wrong = await logsJson([fixture("hivemq-event.log"), "--dialect", "vernemq"]);
    expect([wrong.incidents, wrong.unparsed]).toEqual([[], [1, 2, 3, 4, 5, 6, 7]]);
  });
});
