import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../helpers/cli.js";
import { type Mosquitto, mosquittoAvailable, startMosquitto } from "../../helpers/mosquitto.js";

const USER = "probe-user-5a7e";
const PASSWORD = "hunter2-Zq9-secret";

interface JsonReport {
  schema: string;
  target: { host: string; port: number; protocol: string; mqttVersion: string | null };
  insecure: boolean;
  checks: { id: string; status: string; code: string; measured: Record<string, unknown> }[];
}

// Each probe's client ids and retained topics carry its own run id: the cases run side by side on one mosquitto.
describe
  .runIf(mosquittoAvailable())
  .concurrent("mqdiag probe (the binary) against the real mosquitto", () => {
    let broker: Mosquitto;
    let certDir: string;
    beforeAll(async () => {
      // A self-signed certificate for 127.0.0.1, made here, for the TLS and secure-WebSocket listeners.
      certDir = mkdtempSync(join(tmpdir(), "mqdiag-probe-tls-"));
      execFileSync(
        "openssl",
        [
          "req",
          "-x509",
          "-newkey",
          "rsa:2048",
          "-nodes",
          "-days",
          "1",
          "-subj",
          "/CN=127.0.0.1",
          "-addext",
          "subjectAltName=IP:127.0.0.1",
          "-keyout",
          join(certDir, "key.pem"),
          "-out",
          join(certDir, "cert.pem"),
        ],
        { stdio: "ignore" },
      );
      const tls = [`certfile ${join(certDir, "cert.pem")}`, `keyfile ${join(certDir, "key.pem")}`];
      broker = await startMosquitto({
        extraListeners: [tls, ["protocol websockets"], ["protocol websockets", ...tls]],
      });
    });
    afterAll(async () => {
      await broker?.stop();
      if (certDir) rmSync(certDir, { recursive: true, force: true });
    });
    const tlsPort = () => broker.extraPorts[0] as number;
    const wsPort = () => broker.extraPorts[1] as number;
    const wssPort = () => broker.extraPorts[2] as number;

    it("--quick finishes within its 30 s budget, exits 0, and prints the v1 JSON schema", async () => {
      const started = Date.now();
      const r = await runCli(["probe", broker.url, "--quick", "--format", "json"], { timeoutMs: 45_000 });
      const elapsedMs = Date.now() - started;
      expect(r.code).toBe(0);
      expect(elapsedMs).toBeLessThan(30_000);
      const doc = JSON.parse(r.stdout) as JsonReport;
      expect(doc.schema).toBe("mqdiag.probe/v1");
      expect(doc.target).toEqual({
        protocol: "mqtt",
        host: "127.0.0.1",
        port: broker.port,
        path: "",
        mqttVersion: "5",
      });
      expect(doc.checks.map((c) => c.id)).toEqual([
        "connect",
        "ping",
        "keepalive",
        "malformed",
        "retain",
        "takeover",
      ]);
      const ka = doc.checks.find((c) => c.id === "keepalive");
      const samples = ka?.measured.samples as { keepalive: number; kickAfter: number; closeKind: string }[];
      expect(samples).toHaveLength(2);
      for (const s of samples)
        expect(Object.keys(s)).toEqual(expect.arrayContaining(["keepalive", "kickAfter", "closeKind"]));
      expect(ka?.measured.inferred).toHaveProperty("granularity");
      expect(ka?.measured.inferred).toHaveProperty("multiplier");
    }, 60_000);

    it("--quick --format junit: one testcase per check, no failures", async () => {
      const r = await runCli([
        "probe",
        broker.url,
        "--quick",
        "--checks",
        "connect,ping,retain",
        "--format",
        "junit",
      ]);
      expect(r.code).toBe(0);
      expect(r.stdout.match(/<testcase /g)).toHaveLength(3);
      expect(r.stdout).toMatch(/<testsuite [^>]*failures="0"[^>]*errors="0"/);
    });

    for (const format of ["table", "json", "junit"]) {
      it(`credentials never appear in ${format} output, stderr or --output file`, async () => {
        const dir = mkdtempSync(join(tmpdir(), "mqdiag-probe-out-"));
        try {
          const out = join(dir, "report");
          const viaFlag = await runCli([
            "probe",
            broker.url,
            "--checks",
            "connect,ping,retain,takeover",
            "--username",
            USER,
            "--password",
            PASSWORD,
            "--format",
            format,
            "--verbose",
          ]);
          const viaEnv = await runCli(
            [
              "probe",
              broker.url,
              "--checks",
              "connect,ping",
              "--username",
              USER,
              "--format",
              format,
              "--output",
              out,
            ],
            { env: { MQDIAG_PASSWORD: PASSWORD } },
          );
          expect(viaFlag.code).toBe(0);
          expect(viaEnv.code).toBe(0);
          const file = readFileSync(out, "utf8");
          expect(file.length).toBeGreaterThan(50);
          for (const text of [viaFlag.stdout, viaFlag.stderr, viaEnv.stdout, viaEnv.stderr, file]) {
            expect(text).not.toContain(PASSWORD);
            expect(text).not.toContain(USER);
          }
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });
    }

    it("a refused CONNACK (bad password) is one line, exit 3, and does not repeat the password", async () => {
      const passwd = join(certDir, "passwd");
      execFileSync("mosquitto_passwd", ["-c", "-b", passwd, "someone", "other-password"]);
      const broker2 = await startMosquitto({ config: ["allow_anonymous false", `password_file ${passwd}`] });
      try {
        const r = await runCli(["probe", broker2.url, "--username", USER, "--password", PASSWORD]);
        expect(r.code).toBe(3);
        expect(r.stderr).toMatch(/refused/);
        expect(r.stderr.trim().split("\n")).toHaveLength(1);
        expect(r.stderr + r.stdout).not.toContain(PASSWORD);
      } finally {
        await broker2.stop();
      }
    });

    it("TLS with the self-signed certificate as --ca: every short check passes", async () => {
      const r = await runCli([
        "probe",
        `mqtts://127.0.0.1:${tlsPort()}`,
        "--ca",
        join(certDir, "cert.pem"),
        "--checks",
        "connect,ping,malformed,retain,takeover",
        "--format",
        "json",
      ]);
      expect(r.code).toBe(0);
      const doc = JSON.parse(r.stdout) as JsonReport;
      expect(doc.target.protocol).toBe("mqtts");
      expect(doc.insecure).toBe(false);
      expect(doc.checks.every((c) => c.status === "pass")).toBe(true);
    });

    it("TLS without the CA fails verification: one line, exit 3; --insecure connects and says so loudly", async () => {
      const refused = await runCli(["probe", `mqtts://127.0.0.1:${tlsPort()}`, "--checks", "connect"]);
      expect(refused.code).toBe(3);
      expect(refused.stderr).toMatch(/TLS/);
      expect(refused.stderr.trim().split("\n")).toHaveLength(1);
      const insecure = await runCli([
        "probe",
        `mqtts://127.0.0.1:${tlsPort()}`,
        "--checks",
        "connect,ping",
        "--insecure",
      ]);
      expect(insecure.code).toBe(0);
      expect(insecure.stdout).toMatch(/NOT verified/);
    });

    it("WebSocket and secure WebSocket listeners: connect, ping, retain, takeover pass", async () => {
      const urls = [`ws://127.0.0.1:${wsPort()}/mqtt`, `wss://127.0.0.1:${wssPort()}/mqtt`];
      const runs = await Promise.all(
        urls.map((url) =>
          runCli([
            "probe",
            url,
            "--ca",
            join(certDir, "cert.pem"),
            "--checks",
            "connect,ping,retain,takeover",
            "--format",
            "json",
          ]),
        ),
      );
      for (const [i, r] of runs.entries()) {
        const url = urls[i] as string;
        expect(r.code, `${url}: ${r.stderr}`).toBe(0);
        const doc = JSON.parse(r.stdout) as JsonReport;
        expect(doc.target.protocol).toBe(url.split(":")[0]);
        expect(doc.checks.map((c) => [c.id, c.status])).toEqual([
          ["connect", "pass"],
          ["ping", "pass"],
          ["retain", "pass"],
          ["takeover", "pass"],
        ]);
      }
    });
  });
