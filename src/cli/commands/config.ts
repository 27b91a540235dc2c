import type { Command } from "commander";
import { buildConfigReport, configExitStatus, DEFAULT_KEEPALIVES_S } from "../../config/config-report.js";
import { readNanomqConf } from "../../config/read-nanomq-conf.js";
import { UsageError } from "../../core/errors.js";
import { configJson } from "../../report/config-json.js";
import { configTable } from "../../report/config-table.js";
import { outputOptions, withOutputOptions, writeReport } from "../output.js";

const FORMATS = ["table", "json"] as const;

const EXAMPLES = `
Examples:
  mqdiag config /etc/nanomq.conf                        keepalives 10, 30, 60, 120 s
  mqdiag config nanomq.conf --keepalive 5,60 --format json --output config.json
  mqdiag config nanomq_old.conf                         the old flat format is detected (keepalive_backoff=1250: the trap)
  mqdiag config my.conf --old-conf                      read it as \`nanomq start --old_conf my.conf\` would

The format is detected from what NanoMQ's two readers take from the file (a multi-line { } block: HOCON;
qos_duration / keepalive_backoff lines: the flat format); NanoMQ itself reads the flat format only with --old_conf.
Exit status: 0 read · 1 a finding of severity error (the backoff trap, a 0 s retry interval, compliant clients
kicked) · 2 missing/unreadable file, a file that is neither format, or a bad option.`;

/** `--keepalive 10,30,60` → whole seconds, 0–65535 (MQTT's two-byte keepalive). */
export function parseKeepaliveList(text: string): number[] {
  const values = text.split(",").map((part) => {
    const s = part.trim().replace(/s$/i, "");
    const n = Number(s);
    if (s === "" || !Number.isInteger(n) || n < 0 || n > 65535) {
      throw new UsageError(
        `--keepalive: expected whole seconds from 0 to 65535 like 10,30,60, got "${part.trim()}"`,
      );
    }
    return n;
  });
  return values;
}

export function registerConfig(program: Command): void {
  const cmd = program
    .command("config")
    .description("effective keepalive settings of a nanomq.conf, traps, kick window and safe ping interval")
    .argument("<nanomq.conf>", "a NanoMQ config file (HOCON or the old flat format)")
    .option("--keepalive <seconds,...>", "client keepalives to predict for", DEFAULT_KEEPALIVES_S.join(","))
    .option("--old-conf", "read the file as the old flat format, as `nanomq start --old_conf <file>` does")
    .addHelpText("after", EXAMPLES);
  withOutputOptions(cmd, FORMATS).action(async (file: string, raw: Record<string, string | boolean>) => {
    const output = outputOptions(raw, FORMATS);
    const keepalives = parseKeepaliveList(String(raw.keepalive));
    const conf = await readNanomqConf(file, raw.oldConf === true ? { format: "flat" } : {});
    const report = buildConfigReport(file, conf, keepalives);
    await writeReport(output.format === "json" ? configJson(report) : configTable(report), output);
    process.exitCode = configExitStatus(report);
  });
}
