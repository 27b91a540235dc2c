import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildConfigReport, configExitStatus } from "../../../src/config/config-report.js";
import { interpretNanomqConf } from "../../../src/config/nanomq-conf.js";

/**
 * Every config NanoMQ ships (`etc/` of the 0.21.9 and 0.25.3 source tarballs, copied unchanged into
 * test/fixtures/conf/nanomq-<version>/). The Q and M below are what NanoMQ's OWN readers take from each file: a
 * harness linked against each real build's libnng.a called `conf_parse` (the `--old_conf` reader) and
 * `conf_parse_ver2` (the `--conf` reader) on it and printed `qos_duration` and `backoff`:
 * - `--conf`: nanomq.conf and nanomq_example.conf 10 s / 1.25; every other file 10 s / 1.5 (they set no `mqtt`);
 *   nanomq_old.conf is a HOCON syntax error (0.25.3 exits; 0.21.9 ignores the file: 10 s / 1.5); the 0.25.3
 *   nanomq_example.conf too (`ip_addr = 0.0.0.0` unquoted: 0.25.3 exits).
 * - `--old_conf`: nanomq_old.conf 10 s / 1250; every other file 10 s / 1.5 (no flat keepalive key in them).
 */
const VERSIONS = ["0.21.9", "0.25.3"] as const;
const dir = (v: string) => new URL(`../../fixtures/conf/nanomq-${v}/`, import.meta.url);
const read = (v: string, file: string) => readFileSync(new URL(file, dir(v)), "utf8");

interface Expected {
  format: "hocon" | "flat";
  q: number;
  m: number;
  codes: string[];
  exit: number;
}

const EARLY = ["kick-before-spec-deadline", "kick-before-spec-deadline", "kick-before-spec-deadline"];
const DEFAULTS: Expected = { format: "hocon", q: 10_000, m: 1.5, codes: ["multiplier-default"], exit: 0 };

const DETECTED: Record<string, Expected | ((v: string) => Expected)> = {
  "nanomq.conf": { format: "hocon", q: 10_000, m: 1.25, codes: EARLY, exit: 0 },
  "nanomq_old.conf": {
    format: "flat",
    q: 10_000,
    m: 1250,
    codes: ["flat-format", "keepalive-backoff-trap"],
    exit: 1,
  },
  "nanomq_example.conf": (v) => ({
    format: "hocon",
    q: 10_000,
    m: 1.25,
    codes: [...(v === "0.25.3" ? ["value-rejected"] : []), "include-not-read", "include-not-read", ...EARLY],
    exit: v === "0.25.3" ? 1 : 0,
  }),
  "nanomq_acl.conf": DEFAULTS,
  "nanomq_pwd.conf": DEFAULTS,
  "nanomq_bridge.conf": DEFAULTS,
  "nanomq_dds_gateway.conf": DEFAULTS,
  "nanomq_vsomeip_gateway.conf": DEFAULTS,
  "nanomq_zmq_gateway.conf": DEFAULTS,
};

describe.each(VERSIONS)("the configs NanoMQ %s ships", (version) => {
  const files = readdirSync(dir(version)).sort();

  it("are all here: the nine files of etc/", () => {
    expect(files).toEqual(Object.keys(DETECTED).sort());
  });

  it.each(Object.keys(DETECTED))("%s: format, Q, M and findings as NanoMQ's readers see it", (file) => {
    const spec = DETECTED[file] as Expected | ((v: string) => Expected);
    const want = typeof spec === "function" ? spec(version) : spec;
    const conf = interpretNanomqConf(read(version, file));
    expect(conf.format).toBe(want.format);
    expect(conf.formatSource).toBe("detected");
    expect([conf.retryInterval.value, conf.keepaliveMultiplier.value]).toEqual([want.q, want.m]);
    const report = buildConfigReport(file, conf);
    expect(report.findings.map((f) => f.code)).toEqual(want.codes);
    expect(configExitStatus(report)).toBe(want.exit);
    expect(report.nanomqFlag).toBe(want.format === "flat" ? "--old_conf" : "--conf");
  });

  it.each(Object.keys(DETECTED))("%s with --old-conf: what `nanomq start --old_conf` reads", (file) => {
    const conf = interpretNanomqConf(read(version, file), { format: "flat" });
    expect(conf.format).toBe("flat");
    expect(conf.formatSource).toBe("forced");
    const old = file === "nanomq_old.conf";
    expect([conf.retryInterval.value, conf.keepaliveMultiplier.value]).toEqual([10_000, old ? 1250 : 1.5]);
    const codes = conf.findings.map((f) => f.code);
    // Files with { } blocks are HOCON: forcing the flat reader is reported; the flat fragments are not.
    const hocon = !["nanomq_old.conf", "nanomq_acl.conf", "nanomq_pwd.conf"].includes(file);
    expect(codes.includes("format-forced")).toBe(hocon);
    expect(codes.includes("flat-format")).toBe(false);
  });

  it("nanomq_old.conf: keepalive_backoff=1250 at line 80 is the never-kicked trap", () => {
    const report = buildConfigReport(
      "nanomq_old.conf",
      interpretNanomqConf(read(version, "nanomq_old.conf")),
    );
    const trap = report.findings.find((f) => f.code === "keepalive-backoff-trap");
    expect(trap).toMatchObject({
      severity: "error",
      args: { key: "keepalive_backoff", value: "1250", line: 80, multiplier: 1250, neverFromKeepaliveS: 525 },
    });
    expect(report.retryInterval).toMatchObject({ key: "qos_duration", line: 72, raw: "10" });
    const at60 = report.keepalives.find((k) => k.keepaliveS === 60);
    expect(at60?.kickAfterLastPacket).toEqual({ minMs: 75_010_000, maxMs: 75_020_000 });
    // Braces in its values (`user_property={"key1":"value1",…}`) and comments do not make it HOCON.
    expect(report.format).toBe("flat");
  });
});
