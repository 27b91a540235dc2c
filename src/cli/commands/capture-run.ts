import { joinIncidents, localZoneOffsetMs } from "../../capture/broker-log-join.js";
import { buildCaptureReport, type CaptureReport, captureExitStatus } from "../../capture/capture-report.js";
import { DEFAULT_MQTT_PORTS, DEFAULT_TLS_PORTS, readCapture } from "../../capture/read-capture.js";
import { readNanomqConf } from "../../config/read-nanomq-conf.js";
import { UsageError } from "../../core/errors.js";
import { parseProfileOptions } from "../../core/options.js";
import type { ProfileOptions } from "../../core/profile.js";
import { classifyLogs } from "../../logs/classify.js";
import type { Incident } from "../../logs/incident.js";
import { captureJson } from "../../report/capture-json.js";
import { captureJunit } from "../../report/capture-junit.js";
import { captureTable } from "../../report/capture-table.js";
import { type OutputOptions, outputOptions, reportColumns, writeReport } from "../output.js";
import { statusLine } from "../status.js";
import type { RawCaptureOptions } from "./capture.js";

/** `mqdiag capture`'s action, imported only when that command runs. */
export async function runCapture(
  file: string,
  raw: RawCaptureOptions,
  explicitModel: string[],
): Promise<number> {
  const output = outputOptions(raw);
  const ports = parsePorts(raw.port);
  const { model, source } = await brokerModel(raw, explicitModel);
  const status = statusLine();
  let read: Awaited<ReturnType<typeof readCapture>>;
  try {
    read = await readCapture(file, {
      ports,
      tlsPorts: DEFAULT_TLS_PORTS,
      onProgress: (bytes) => status.update(`reading ${file}: ${mb(bytes)} of packets read`),
    });
  } finally {
    status.done();
  }
  const report = buildCaptureReport(read, model, source);
  if (raw.brokerLog !== undefined) report.brokerLog = await brokerLog(raw.brokerLog, report);
  await writeReport(render(report, output), output);
  return captureExitStatus(report);
}

function render(report: CaptureReport, output: OutputOptions): string {
  if (output.format === "json") return captureJson(report);
  if (output.format === "junit") return captureJunit(report);
  return captureTable(report, reportColumns(output));
}

/** `--port 1883,11883` or repeated; default 1883. */
export function parsePorts(values: readonly string[]): number[] {
  if (values.length === 0) return [...DEFAULT_MQTT_PORTS];
  return values
    .flatMap((v) => v.split(","))
    .map((p) => {
      const n = Number(p.trim());
      if (!Number.isInteger(n) || n < 1 || n > 65535)
        throw new UsageError(`--port: expected TCP ports from 1 to 65535 like 1883,11883, got "${p.trim()}"`);
      return n;
    });
}

/** The broker model: the profile options, or with --config NanoMQ's own Q and M from its config file. */
async function brokerModel(
  raw: RawCaptureOptions,
  explicitModel: string[],
): Promise<{ model: ProfileOptions; source: CaptureReport["modelSource"] }> {
  const model = parseProfileOptions(raw);
  if (raw.config === undefined) return { model, source: "profile-options" };
  if (explicitModel.length > 0)
    throw new UsageError(
      `--config gives the nanomq model's Q and M: leave out --${explicitModel.map(kebab).join(" and --")}`,
    );
  const conf = await readNanomqConf(raw.config);
  return {
    model: {
      ...model,
      profile: "nanomq",
      retryIntervalMs: conf.retryInterval.value,
      keepaliveMultiplier: conf.keepaliveMultiplier.value,
    },
    source: "config-file",
  };
}

/** The broker log's incidents around the capture's time (±1 min), joined to its connections. */
async function brokerLog(path: string, report: CaptureReport): Promise<CaptureReport["brokerLog"]> {
  const first = report.read.firstMs ?? 0;
  const last = report.read.lastMs ?? 0;
  const offset = localZoneOffsetMs(first);
  const incidents: Incident[] = [];
  await classifyLogs([path], {
    onIncident: (i) => {
      const t = i.first && (i.first.zoned ? i.first.ms : i.first.ms + offset);
      if (t && t >= first - MINUTE_MS && t <= last + MINUTE_MS) incidents.push(i);
    },
  });
  return {
    files: [path],
    incidents: incidents.length,
    joins: joinIncidents(report.connections, incidents, offset),
  };
}

const MINUTE_MS = 60_000;
const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
