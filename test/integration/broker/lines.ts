import type { Broker } from "../../../src/broker/index.js";
import type { ProfileName } from "../../../src/core/profile.js";

/** The dialects the embedded broker speaks: one per profile (the other brokers' are only read, never rendered). */
type BrokerDialect = ProfileName;

/** Splits a broker line into its level and message, checking the dialect's prefix format on the way. */
const FORMATS: Record<BrokerDialect, RegExp> = {
  // YYYY-mm-dd HH:MM:SS [tid] LEVEL <file>:<line> <func>: <msg>
  nanomq: /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \[\d+\] (?<level>[A-Z]+) +\S+:\d+ \w+: (?<msg>.*)$/,
  // <epoch seconds>: <msg>
  mosquitto: /^\d{10}: (?<msg>.*)$/,
  // <ISO time> <LEVEL> <msg>
  spec: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (?<level>[A-Z]+) (?<msg>.*)$/,
};

export function messageOf(dialect: BrokerDialect, line: string): string {
  const m = FORMATS[dialect].exec(line);
  if (!m?.groups) throw new Error(`not a ${dialect} line: ${line}`);
  return m.groups.msg as string;
}

/** The messages of lines from index `from` on, optionally only WARN/ERROR (NanoMQ's INFO online/offline aside). */
export function messagesSince(b: Broker, from: number, options: { warnOnly?: boolean } = {}): string[] {
  return b
    .logLines()
    .slice(from)
    .filter((l) => !options.warnOnly || l.level === "WARN" || l.level === "ERROR")
    .map((l) => messageOf(b.profile.profile, l.line));
}
