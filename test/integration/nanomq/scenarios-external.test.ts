import { expect, it } from "vitest";
import { runCli } from "../../helpers/cli.js";
import { describeEachRealNanomq } from "../../helpers/external-and-embedded.js";
import { externalScenarioArgs, type NanomqVersion } from "../../helpers/nanomq.js";

/**
 * `mqdiag scenario --broker … --broker-log …` against the real NanoMQ, as a new user runs it: no --profile (the log
 * tells the broker and its wording era), Q 1 s, keepalive 2. The runnable scenarios reproduce and the run exits 0;
 * corrupt-retain is reported skipped, never reproduced; the reachability check leaves no nego error in the log.
 */
const NAMES = ["tcp-rst", "corrupt-retain", "session-takeover", "malformed-packet", "late-ping"];

interface Report {
  target: {
    profile: string;
    profileDetected?: boolean;
    detected?: {
      profile: string;
      nanomqSince: string | null;
      nanomqUntil: string | null;
      evidence: string[];
    };
  };
  scenarios: {
    name: string;
    verdict: string;
    skipReason?: string;
    checks: { code: string; ok: boolean }[];
  }[];
}

/** What each version's lines tell of its era (the catalogue's since/until). */
const ERA: Record<NanomqVersion, { nanomqSince: string | null; nanomqUntil: string | null }> = {
  "0.21.9": { nanomqSince: null, nanomqUntil: "0.21.9" },
  "0.25.3": { nanomqSince: "0.25.0", nanomqUntil: null },
};

describeEachRealNanomq("scenarios", (version, broker) => {
  it("without --profile: detected from the log, everything runnable reproduces, exit 0", async () => {
    const r = await runCli(["scenario", ...NAMES, ...externalScenarioArgs(broker()), "--format", "json"], {
      timeoutMs: 60_000,
    });
    const report = JSON.parse(r.stdout) as Report;
    const failed = report.scenarios.flatMap((s) =>
      s.checks.filter((c) => !c.ok).map((c) => `${s.name}: ${JSON.stringify(c)}`),
    );
    expect(failed).toEqual([]);
    expect(report.scenarios.map((s) => [s.name, s.verdict])).toEqual(
      NAMES.map((n) => [n, n === "corrupt-retain" ? "skipped" : "reproduced"]),
    );
    expect(report.scenarios.find((s) => s.name === "corrupt-retain")?.skipReason).toBe(
      "fault-needs-embedded-broker",
    );
    expect(r.code).toBe(0);
    expect(report.target).toMatchObject({
      profile: "nanomq",
      profileDetected: true,
      detected: { profile: "nanomq", ...ERA[version] },
    });
    // The reachability check is a clean client: no `nego aio error` / `connect nego error` line for it.
    const log = broker().logSinceReady();
    expect(log).not.toMatch(/nego/);
    if (version === "0.25.3") expect(log).toMatch(/mqdiag-reachability online!/);
  }, 90_000);
});
