import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/conf/${name}`, import.meta.url));

interface ConfigJson {
  schema: string;
  format: string;
  formatSource: string;
  nanomqFlag: string;
  retryInterval: { value: number; source: string };
  keepaliveMultiplier: { value: number; source: string };
  keepalives: {
    keepaliveS: number;
    kickAfterLastPacket: { minMs: number; maxMs: number } | null;
    kickAfterSilentConnectMs: number | null;
    largestSafeIntervalMs: number | null;
  }[];
  findings: { code: string; severity: string; message: string; args: Record<string, unknown> }[];
}

async function json(args: string[]): Promise<{ code: number | null; doc: ConfigJson }> {
  const result = await runCli(["config", ...args, "--format", "json"]);
  return { code: result.code, doc: JSON.parse(result.stdout) as ConfigJson };
}

describe("mqdiag config", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "mqdiag-config-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("the shipped HOCON config: Q=10 s, M=1.25, KA 60 kicked 80–90 s after the last packet; exit 0", async () => {
    const { code, doc } = await json([fixture("nanomq-shipped.conf")]);
    expect(code).toBe(0);
    expect(doc.schema).toBe("mqdiag.config/v1");
    expect(doc.format).toBe("hocon");
    expect(doc.retryInterval).toMatchObject({ value: 10_000, source: "file" });
    expect(doc.keepaliveMultiplier).toMatchObject({ value: 1.25, source: "file" });
    expect(doc.keepalives.map((k) => k.keepaliveS)).toEqual([10, 30, 60, 120]);
    expect(doc.keepalives[2]).toMatchObject({
      kickAfterLastPacket: { minMs: 80_000, maxMs: 90_000 },
      kickAfterSilentConnectMs: 95_000,
      largestSafeIntervalMs: 80_000,
    });
    expect(doc.findings.every((f) => f.severity === "info")).toBe(true);
  });

  it("the old flat config with keepalive_backoff=1250: the trap, exit 1", async () => {
    const { code, doc } = await json([fixture("flat-old.conf"), "--keepalive", "2,60"]);
    expect(code).toBe(1);
    expect(doc.format).toBe("flat");
    expect(doc.keepaliveMultiplier.value).toBe(1250);
    expect(doc.findings.map((f) => [f.code, f.severity])).toEqual([
      ["flat-format", "info"],
      ["keepalive-backoff-trap", "error"],
    ]);
    expect(doc.keepalives.map((k) => k.kickAfterSilentConnectMs)).toEqual([2_525_000, 75_025_000]);
  });

  it("NanoMQ's shipped nanomq_old.conf (0.25.3): flat format, M 1250, the never-kicked trap, exit 1", async () => {
    const { code, doc } = await json([fixture("nanomq-0.25.3/nanomq_old.conf"), "--keepalive", "60,600"]);
    expect(code).toBe(1);
    expect(doc).toMatchObject({ format: "flat", formatSource: "detected", nanomqFlag: "--old_conf" });
    expect(doc.retryInterval).toMatchObject({ value: 10_000, source: "file" });
    expect(doc.keepaliveMultiplier).toMatchObject({ value: 1250, source: "file" });
    const trap = doc.findings.find((f) => f.code === "keepalive-backoff-trap");
    expect(trap?.severity).toBe("error");
    expect(trap?.message).toContain(
      "keepalive_backoff=1250 (line 80) is read as a multiplier of 1250, not 1.25",
    );
    expect(trap?.message).toContain("20.8 h");
    expect(trap?.message).toContain("keepalive 525 s or more never");
    // keepalive 600 s needs 75 001 idle ticks: past the 16-bit counter, never kicked.
    expect(doc.keepalives.map((k) => k.kickAfterLastPacket?.minMs ?? null)).toEqual([75_010_000, null]);
    const table = await runCli(["config", fixture("nanomq-0.21.9/nanomq_old.conf")]);
    expect(table.code).toBe(1);
    expect(table.stdout).toContain("flat format (NanoMQ reads it with --old_conf)");
    expect(table.stdout).toMatch(
      /keepalive multiplier \(M\)\s*│\s*1250\s*│\s*keepalive_backoff = 1250 \(line 80\)/,
    );
    expect(table.stdout).toContain("keepalive-backoff-trap");
  });

  it("the shipped HOCON nanomq.conf of both versions: 10 s, 1.25, exit 0", async () => {
    for (const v of ["0.21.9", "0.25.3"]) {
      const { code, doc } = await json([fixture(`nanomq-${v}/nanomq.conf`)]);
      expect([code, doc.format, doc.retryInterval.value, doc.keepaliveMultiplier.value]).toEqual([
        0,
        "hocon",
        10_000,
        1.25,
      ]);
    }
  });

  it("--old-conf forces the flat reading: a HOCON file then sets nothing, and the report says so", async () => {
    const { code, doc } = await json([fixture("nanomq-0.25.3/nanomq.conf"), "--old-conf"]);
    expect(code).toBe(0);
    expect(doc).toMatchObject({ format: "flat", formatSource: "forced", nanomqFlag: "--old_conf" });
    expect([doc.retryInterval.source, doc.keepaliveMultiplier.value]).toEqual(["default", 1.5]);
    expect(doc.findings.map((f) => f.code)).toEqual([
      "format-forced",
      "key-ignored",
      "key-ignored",
      "multiplier-default",
    ]);
    const flat = await json([fixture("flat-fixed.conf"), "--old-conf"]);
    expect([flat.code, flat.doc.formatSource, flat.doc.keepaliveMultiplier.value]).toEqual([
      0,
      "forced",
      1.25,
    ]);
  });

  it("the 0.25.3 nanomq_example.conf: NanoMQ's parser rejects `ip_addr = 0.0.0.0`, exit 1", async () => {
    const { code, doc } = await json([fixture("nanomq-0.25.3/nanomq_example.conf")]);
    expect(code).toBe(1);
    expect(doc.findings.find((f) => f.code === "value-rejected")?.args).toMatchObject({
      key: "http_server.ip_addr",
      value: "0.0.0.0",
    });
  });

  it("--help shows the examples, --old-conf among them", async () => {
    const help = await runCli(["config", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--old-conf");
    expect(help.stdout).toContain("Examples:");
    expect(help.stdout).toContain("mqdiag config nanomq_old.conf");
  });

  it("defaults when the keys are absent: 10 s and 1.5", async () => {
    const { code, doc } = await json([fixture("hocon-defaults.conf"), "--keepalive", "0,60"]);
    expect(code).toBe(0);
    expect(doc.retryInterval).toMatchObject({ value: 10_000, source: "default" });
    expect(doc.keepaliveMultiplier).toMatchObject({ value: 1.5, source: "default" });
    expect(doc.findings.map((f) => f.code)).toEqual(["multiplier-default"]);
    expect(doc.keepalives[0]?.kickAfterLastPacket).toBeNull(); // keepalive 0: never kicked
    expect(doc.keepalives[1]?.kickAfterLastPacket).toEqual({ minMs: 100_000, maxMs: 110_000 });
  });

  it("a broken file is still read, with its problems as findings", async () => {
    const { code, doc } = await json([fixture("hocon-broken.conf")]);
    expect(code).toBe(1);
    expect(new Set(doc.findings.map((f) => f.code))).toEqual(
      new Set(["syntax", "value-invalid", "key-ignored", "retry-interval-zero"]),
    );
  });

  it("the table names the finding codes; --output writes the report to a file", async () => {
    const table = await runCli(["config", fixture("flat-old.conf")]);
    expect(table.code).toBe(1);
    expect(table.stdout).toContain("keepalive-backoff-trap");
    expect(table.stdout).not.toContain("\x1b[");
    const out = join(dir, "report.json");
    const written = await runCli(["config", fixture("flat-fixed.conf"), "--format", "json", "--output", out]);
    expect(written).toMatchObject({ code: 0, stdout: "" });
    const doc = JSON.parse(await readFile(out, "utf8")) as ConfigJson;
    expect(doc.retryInterval.value).toBe(5000);
  });

  it.each([
    ["a missing file", [join("/nonexistent", "nanomq.conf")]],
    ["a directory", ["."]],
    ["a file without settings", [fixture("not-a-config.txt")]],
    ["a file without settings, --old-conf", [fixture("not-a-config.txt"), "--old-conf"]],
    ["a bad --keepalive", [fixture("flat-fixed.conf"), "--keepalive", "10,abc"]],
    ["a keepalive over 65535", [fixture("flat-fixed.conf"), "--keepalive", "70000"]],
    ["an unsupported format", [fixture("flat-fixed.conf"), "--format", "junit"]],
    ["an unknown --broker", [fixture("emqx.conf"), "--broker", "hivemq"]],
    ["--old-conf on an emqx.conf", [fixture("emqx.conf"), "--old-conf"]],
    ["no file", []],
  ])("%s: one line on stderr, exit 2", async (_name, args) => {
    const result = await runCli(["config", ...args]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });

  it("a file that is neither format says so in one line", async () => {
    const result = await runCli(["config", fixture("not-a-config.txt")]);
    expect(result.stderr.trim()).toBe(
      `mqdiag: config: ${fixture("not-a-config.txt")}: neither NanoMQ format: no HOCON setting or block, and no key=value line of the old flat format; not an emqx.conf or mosquitto.conf either`,
    );
  });

  it("a binary file: exit 2", async () => {
    const result = await runCli(["config", process.execPath]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });

  describe("emqx.conf and mosquitto.conf (EMQX from its source, not run; mosquitto's max_keepalive checked on 2.0.11)", () => {
    interface BrokerJson {
      broker: string;
      effectiveMultiplier?: number;
      keepalives: {
        keepaliveS: number;
        kickAfterLastPacket: { minMs: number; maxMs: number } | null;
        checkIntervalMs?: number | null;
        before572?: { minMs: number; maxMs: number } | null;
        mqtt5KeepaliveS?: number;
        mqtt311?: string;
      }[];
      findings: { code: string; severity: string; message: string }[];
    }
    const brokerJson = async (args: string[]) => {
      const r = await runCli(["config", ...args, "--format", "json"]);
      return { code: r.code, doc: JSON.parse(r.stdout) as BrokerJson };
    };

    it("emqx.conf: keepalive_backoff 0.6 beats keepalive_multiplier = 1.5 → 1.2; KA 10 checked every 5 s", async () => {
      const { code, doc } = await brokerJson([fixture("emqx.conf"), "--keepalive", "10,60"]);
      expect(code).toBe(0);
      expect([doc.broker, doc.effectiveMultiplier]).toEqual(["emqx", 1.2]);
      expect(doc.keepalives.map((k) => [k.checkIntervalMs, k.kickAfterLastPacket, k.before572])).toEqual([
        [5_000, { minMs: 15_000, maxMs: 20_000 }, { minMs: 12_000, maxMs: 24_000 }],
        [30_000, { minMs: 90_000, maxMs: 120_000 }, { minMs: 72_000, maxMs: 144_000 }],
      ]);
      expect(doc.findings.map((f) => [f.code, f.severity])).toEqual([
        ["emqx-keepalive-backoff", "warning"],
        ["emqx-check-interval-clamped", "info"],
        ["emqx-before-5.7.2", "info"],
      ]);
      const table = await runCli(["config", fixture("emqx.conf")]);
      expect(table.stdout).toMatch(/EMQX 5 ·\s+from\s+the\s+broker's\s+source,\s+not\s+run/);
    });

    it("dotted keys: a bare-number check interval is milliseconds; server_keepalive and a zone are reported", async () => {
      const { doc } = await brokerJson([fixture("emqx-dotted.conf"), "--keepalive", "60"]);
      expect(doc.effectiveMultiplier).toBe(2);
      expect(doc.keepalives[0]?.kickAfterLastPacket).toEqual({ minMs: 120_000, maxMs: 125_000 });
      expect(doc.findings.map((f) => f.code)).toEqual([
        "emqx-check-interval-ms",
        "emqx-zone-override",
        "emqx-server-keepalive",
        "emqx-before-5.7.2",
      ]);
    });

    it("mosquitto.conf: max_keepalive 60 caps keepalive 0 and 120 (MQTT 5 told 60 s, 3.1.1 refused since 2.0.12)", async () => {
      const { code, doc } = await brokerJson([fixture("mosquitto.conf"), "--keepalive", "0,30,120"]);
      expect(code).toBe(0);
      expect(
        doc.keepalives.map((k) => [k.keepaliveS, k.mqtt5KeepaliveS, k.mqtt311, k.kickAfterLastPacket]),
      ).toEqual([
        [0, 60, "refused-since-2.0.12", { minMs: 90_000, maxMs: 96_000 }],
        [30, 30, "accepted", { minMs: 45_000, maxMs: 51_000 }],
        [120, 60, "refused-since-2.0.12", { minMs: 90_000, maxMs: 96_000 }],
      ]);
      expect(doc.findings.map((f) => f.code)).toEqual(["mosquitto-max-keepalive-caps"]);
      const unset = await brokerJson([fixture("mosquitto-default.conf")]);
      expect(unset.doc.findings.map((f) => f.code)).toEqual(["mosquitto-max-keepalive-default"]);
    });

    it("the broker comes from the file name, the content, or --broker", async () => {
      const dotted = join(dir, "settings.conf");
      await writeFile(dotted, "mqtt.keepalive_check_interval = 10s\n");
      expect((await brokerJson([dotted])).doc.broker).toBe("emqx");
      const plain = join(dir, "broker.conf");
      await writeFile(plain, "listener 1883\nmax_keepalive 30\n");
      expect((await brokerJson([plain])).doc.broker).toBe("mosquitto");
      expect((await brokerJson([plain, "--broker", "emqx"])).doc.broker).toBe("emqx");
    });
  });
});
