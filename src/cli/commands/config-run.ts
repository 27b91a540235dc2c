import { CONF_BROKERS, type ConfBroker, detectConfBroker } from "../../config/conf-broker.js";
import { buildConfigReport, configExitStatus } from "../../config/config-report.js";
import { interpretEmqxConf } from "../../config/emqx-conf.js";
import { buildEmqxConfigReport } from "../../config/emqx-config-report.js";
import { interpretMosquittoConf } from "../../config/mosquitto-conf.js";
import { buildMosquittoConfigReport } from "../../config/mosquitto-config-report.js";
import { readConfText } from "../../config/read-conf-text.js";
import { nanomqConfOf } from "../../config/read-nanomq-conf.js";
import { parseKeepaliveSeconds } from "../../core/duration.js";
import { UsageError } from "../../core/errors.js";
import { emqxConfigTable, mosquittoConfigTable } from "../../report/config-broker-table.js";
import { configJson } from "../../report/config-json.js";
import { configTable } from "../../report/config-table.js";
import { outputOptions, reportColumns, writeReport } from "../output.js";
import { FORMATS } from "./config.js";

/** `--keepalive 10,30,60` → whole seconds, 0–65535 (MQTT's two-byte keepalive). */
export function parseKeepaliveList(text: string): number[] {
  return text.split(",").map((part) => parseKeepaliveSeconds(part, "--keepalive", "10,30,60"));
}

function brokerOption(raw: Record<string, string | boolean>): ConfBroker | undefined {
  if (raw.broker === undefined) return undefined;
  const b = String(raw.broker);
  if ((CONF_BROKERS as readonly string[]).includes(b)) return b as ConfBroker;
  throw new UsageError(`--broker: expected one of ${CONF_BROKERS.join(", ")}, got "${b}"`);
}

/** `mqdiag config`'s action, imported only when that command runs. */
export async function runConfig(file: string, raw: Record<string, string | boolean>): Promise<number> {
  const output = outputOptions(raw, FORMATS);
  const keepalives = parseKeepaliveList(String(raw.keepalive));
  const forced = brokerOption(raw);
  const text = await readConfText(file);
  const broker = forced ?? detectConfBroker(file, text);
  if (raw.oldConf === true && broker !== "nanomq")
    throw new UsageError(`--old-conf: only for NanoMQ configs, and ${file} is read as ${broker}'s`);
  const report = configReport(file, text, {
    broker,
    keepalives,
    oldConf: raw.oldConf === true,
    json: output.format === "json",
    columns: reportColumns(output),
  });
  await writeReport(report.text, output);
  return report.status;
}

/** What `config` renders for one file's text read as `broker`'s config: the report and its exit status. */
export function configReport(
  file: string,
  text: string,
  options: { broker: ConfBroker; keepalives: number[]; oldConf: boolean; json: boolean; columns: number },
): { text: string; status: number } {
  const { broker, keepalives, json, columns } = options;
  if (broker === "emqx") {
    const report = buildEmqxConfigReport(file, interpretEmqxConf(text), keepalives);
    return {
      text: json ? configJson(report) : emqxConfigTable(report, columns),
      status: configExitStatus(report),
    };
  }
  if (broker === "mosquitto") {
    const report = buildMosquittoConfigReport(file, interpretMosquittoConf(text), keepalives);
    return {
      text: json ? configJson(report) : mosquittoConfigTable(report, columns),
      status: configExitStatus(report),
    };
  }
  const conf = nanomqConfOf(file, text, options.oldConf ? { format: "flat" } : {});
  const report = buildConfigReport(file, conf, keepalives);
  return { text: json ? configJson(report) : configTable(report, columns), status: configExitStatus(report) };
}
