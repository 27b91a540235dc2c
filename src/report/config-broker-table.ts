import chalk from "chalk";
import type { KeepaliveRow } from "../config/config-report.js";
import type { EmqxSetting } from "../config/emqx-conf.js";
import type { EmqxConfigReport } from "../config/emqx-config-report.js";
import type { MosquittoConfigReport } from "../config/mosquitto-config-report.js";
import { findingLines } from "./config-findings-lines.js";
import { humanMs } from "./config-messages.js";
import { fitTable } from "./fit-table.js";
import { DEFAULT_WIDTH, fitLines, wrap } from "./width.js";

const span = (w: { minMs: number; maxMs: number } | null) => {
  if (!w) return "never";
  const [min, max] = [humanMs(w.minMs), humanMs(w.maxMs)];
  return min === max ? `≈ ${min}` : `${min} – ${max}`;
};

const title = (text: string, width: number) => wrap(text, width, "", "  ").map((l) => chalk.bold(l));

const from = (s: EmqxSetting, fallback: string) =>
  s.line === null ? chalk.gray(fallback) : `${s.key} = ${s.raw} (line ${s.line})`;

/** `mqdiag config emqx.conf`: settings, the kick table (EMQX ≥ 5.7.2 and before), findings. */
export function emqxConfigTable(r: EmqxConfigReport, width = DEFAULT_WIDTH): string {
  const out = title(`mqdiag config ${r.file} · EMQX 5 · ${r.model}`, width);
  const s = r.settings;
  out.push(
    fitTable(
      ["setting", "effective", "from"],
      [
        ["keepalive multiplier", String(r.effectiveMultiplier), from(s.multiplier, "not set: 1.5")],
        [
          "keepalive backoff (deprecated)",
          s.backoff.value === null ? "-" : String(s.backoff.value),
          from(s.backoff, "not set"),
        ],
        [
          "keepalive check interval",
          humanMs(r.effectiveCheckIntervalMs),
          from(s.checkInterval, "not set: 30s"),
        ],
        [
          "server keepalive (MQTT 5)",
          s.serverKeepalive.value === null ? "disabled" : `${s.serverKeepalive.value} s`,
          from(s.serverKeepalive, "not set: disabled"),
        ],
      ],
      [{ min: 12 }, { min: 8 }, { min: 16 }],
      width,
    ),
    "",
    fitTable(
      [
        "keepalive",
        "checked every",
        "kick after last packet",
        "after a PINGREQ",
        "before 5.7.2",
        "spec 1.5×",
      ],
      r.keepalives.map((k) => [
        `${k.keepaliveS} s`,
        humanMs(k.checkIntervalMs),
        span(k.kickAfterLastPacket),
        humanMs(k.kickAfterSilentConnectMs),
        span(k.before572),
        humanMs(k.specDeadlineMs),
      ]),
      [{ min: 9 }, { min: 7 }, { min: 12 }, { min: 8 }, { min: 12 }, { min: 8 }],
      width,
    ),
    ...findingLines(r.findings, width),
  );
  return `${fitLines(out.join("\n"), width)}\n`;
}

const mqtt5 = (k: MosquittoConfigReport["keepalives"][number]) =>
  k.mqtt5KeepaliveS === k.keepaliveS ? `${k.keepaliveS} s` : `${k.mqtt5KeepaliveS} s (Server Keep Alive)`;

/** `mqdiag config mosquitto.conf`: max_keepalive, what each client keepalive becomes and when it is kicked. */
export function mosquittoConfigTable(r: MosquittoConfigReport, width = DEFAULT_WIDTH): string {
  const out = title(`mqdiag config ${r.file} · mosquitto.conf (mosquitto 2.0)`, width);
  const m = r.maxKeepalive;
  out.push(
    fitTable(
      ["setting", "value", "from"],
      [
        [
          "max_keepalive",
          m.value === null ? "default" : `${m.value} s`,
          m.line === null
            ? chalk.gray("not set: 0 since 2.0.16, 65535 before")
            : `max_keepalive ${m.raw} (line ${m.line})`,
        ],
      ],
      [{ min: 12 }, { min: 7 }, { min: 16 }],
      width,
    ),
    "",
    fitTable(
      [
        "client keepalive",
        "MQTT 5 gets",
        "MQTT 3.1.1",
        "kick after last packet",
        "largest safe ping interval",
        "spec 1.5×",
      ],
      r.keepalives.map((k: KeepaliveRow & MosquittoConfigReport["keepalives"][number]) => [
        `${k.keepaliveS} s`,
        mqtt5(k),
        k.mqtt311 === "accepted" ? "accepted" : "refused since 2.0.12",
        span(k.kickAfterLastPacket),
        humanMs(k.largestSafeIntervalMs),
        humanMs(k.specDeadlineMs),
      ]),
      [{ min: 9 }, { min: 8 }, { min: 8 }, { min: 12 }, { min: 9 }, { min: 8 }],
      width,
    ),
    ...findingLines(r.findings, width),
  );
  return `${fitLines(out.join("\n"), width)}\n`;
}
