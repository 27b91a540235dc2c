import { DEFAULT_PROFILE_OPTIONS, type ProfileOptions } from "../../core/profile.js";
import { fixedSeconds, formatSeconds } from "../../core/seconds.js";
import { clientModel } from "../../keepalive/clients/catalogue.js";
import type { IdleQuantity } from "../../keepalive/clients/types.js";
import { type ClientVersusBroker, clientVersusBroker } from "../../keepalive/clients/versus-broker.js";
import type { MeasureCase } from "./measure.js";
import { conditionsOf, modelRangesOf, type Range } from "./model-range.js";
import type { RealLibraryId } from "./types.js";

/**
 * The generated page of the real client libraries beside their models (bench/clients-measure.ts writes it): the
 * words and keys its rows are made of, so that a test can check its model columns against the models without
 * running any library (test/unit/clients/measured-page.test.ts).
 */
export const MEASURED_PAGE = "docs/clients.md";

/** Times on the page: hundredths of a second (src/core/seconds.ts rounds them). */
const seconds = (ms: number) => formatSeconds(ms, 2);

/** A model's range as the page writes it: one time when it spans less than 5 ms. */
export function rangeText(r: Range | null): string {
  if (r === null) return "never";
  return r.maxMs - r.minMs < 5 ? seconds(r.minMs) : `${fixedSeconds(r.minMs, 2)}–${seconds(r.maxMs)}`;
}

export function measuredSeconds(ms: number): string {
  return seconds(ms);
}

export const QUANTITY_WORDS: Record<IdleQuantity, string> = {
  "first-gap": "first PINGREQ after CONNECT",
  gap: "idle gap",
  "give-up": "give-up after the PINGREQ",
};

/** A library's heading: its name, the version that ran, and its id (which the check reads back). */
export function libraryHeading(name: string, version: string, id: RealLibraryId): string {
  return `## ${[name, version].filter((x) => x !== "").join(" ")} (\`${id}\`)`;
}

/** The loop cell: the application's loop for a library it drives, "—" for one with its own thread or loop. */
export function loopCell(c: MeasureCase, drivenByLoop: boolean): string {
  return drivenByLoop ? `${c.loopIntervalMs} ms` : "—";
}

/** The key of one row of a library's table: its id, keepalive, loop cell and quantity. */
export function rowKey(id: string, keepaliveS: number, loop: string, quantity: IdleQuantity): string {
  return `${id} ${keepaliveS} s ${loop} ${QUANTITY_WORDS[quantity]}`;
}

/** The model column of a row: the model's range for that case and quantity. */
export function modelCell(c: MeasureCase, quantity: IdleQuantity): string {
  const m = modelRangesOf(c.library, conditionsOf(c));
  return rangeText(quantity === "first-gap" ? m.firstGap : quantity === "gap" ? m.gap : m.giveUpAfter);
}

/**
 * What was measured of a real library against the REAL NanoMQ 0.25.3 (Q 1 s, M 1.25, idle, loopback): the
 * write-up's MQTT-C kicks (test/integration/nanomq/mqtt-c-kick.test.ts, client-library-real.test.ts and the runs of
 * 2026-12-06 in docs/commands/clients.md), beside the model's verdict for the same conditions.
 */
export interface BrokerRun {
  library: RealLibraryId;
  keepaliveS: number;
  loopIntervalMs: number;
  measured: string;
}

export const NANOMQ_RUNS_BROKER = "the real NanoMQ 0.25.3, Q 1 s, M 1.25";
export const NANOMQ_RUNS_PROFILE: ProfileOptions = {
  ...DEFAULT_PROFILE_OPTIONS,
  retryIntervalMs: 1000,
  keepaliveMultiplier: 1.25,
};

export const NANOMQ_RUNS: readonly BrokerRun[] = [
  {
    library: "mqtt-c",
    keepaliveS: 3,
    loopIntervalMs: 100,
    measured:
      "gap 4.007 s (3.91 s at a second's edge); one client not kicked in 10 minutes; of 20 started at random " +
      "phases, 1 kicked within 30 s, at 7.5–7.7 s, its CONNECT 0.5–0.7 s past a second (the embedded profile: 1 of 20 too)",
  },
  {
    library: "mqtt-c",
    keepaliveS: 3,
    loopIntervalMs: 1000,
    measured: "connection lost at 10.007 / 10.022 s (its next sync after the kick)",
  },
  {
    library: "mqtt-c",
    keepaliveS: 3,
    loopIntervalMs: 1500,
    measured: "lost at 6.013 / 6.017 s; the kick line in NanoMQ's log, pipe close reason 0x8d",
  },
  { library: "mqtt-c", keepaliveS: 10, loopIntervalMs: 3000, measured: "lost at 15.014 / 15.022 s" },
];

/** The model's verdict for a broker run, in the page's words. */
export function versusText(v: ClientVersusBroker): string {
  const kick = v.brokerKicksAtMs;
  if (kick === null) return "survives";
  const at =
    kick.maxMs - kick.minMs < 5 ? seconds(kick.minMs) : `${seconds(kick.minMs)}–${seconds(kick.maxMs)}`;
  const share = v.dependsOnPhase ? ` in ~${Math.round(v.endsShare * 100)} % of phases, else survives` : "";
  return `gap ${rangeText(v.pingGapMs)}; kicked at ${at} after CONNECT${share}`;
}

/** The model column of a broker run. */
export function brokerRunModel(r: BrokerRun): string {
  return versusText(
    clientVersusBroker(
      clientModel(r.library),
      { keepaliveMs: r.keepaliveS * 1000, oneWayLatencyMs: 0, loopIntervalMs: r.loopIntervalMs },
      NANOMQ_RUNS_PROFILE,
    ),
  );
}

export function brokerRunKey(r: Pick<BrokerRun, "library" | "keepaliveS" | "loopIntervalMs">): string {
  return `${r.library} KA ${r.keepaliveS} s loop ${r.loopIntervalMs} ms`;
}

/** A page's rows: row key → its model cell and whether the row agreed; broker runs: key → model cell. */
export interface ParsedPage {
  rows: Map<string, { model: string; agrees: boolean }>;
  brokerRuns: Map<string, string>;
  versions: Map<string, string>;
}

export function parseMeasuredPage(doc: string): ParsedPage {
  const out: ParsedPage = { rows: new Map(), brokerRuns: new Map(), versions: new Map() };
  let id = "";
  let inBroker = false;
  for (const line of doc.split("\n")) {
    const heading = /^## (.*) \(`([\w-]+)`\)$/.exec(line);
    if (line.startsWith("## ")) {
      id = heading?.[2] ?? "";
      inBroker = line.startsWith("## Against ");
      if (heading) out.versions.set(id, heading[1] ?? "");
      continue;
    }
    if (!line.startsWith("| ") || line.startsWith("| keepalive") || line.startsWith("| library")) continue;
    const cells = line.split("|").map((c) => c.trim());
    if (inBroker) {
      const [, lib = "", ka = "", loop = "", model = ""] = cells;
      out.brokerRuns.set(`${lib} KA ${ka} loop ${loop}`, model);
      continue;
    }
    // a time near a model's edge is "equal" in one run and a known difference in the next: both agree
    out.rows.set(`${id} ${cells[1]} ${cells[2]} ${cells[3]}`, {
      model: cells[5] ?? "",
      agrees: cells[6] !== "**differs**",
    });
  }
  return out;
}
