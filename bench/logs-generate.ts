import { createWriteStream } from "node:fs";

/**
 * A NanoMQ log as real 0.21.9/0.25.3 builds write it at `warn` (test/fixtures/logs/nanomq-real-*): most lines are
 * `<id> online!`, `<id> offline!` and `sleep aio error 7`, among them the incidents — keepalive kicks (kick, `Object
 * closed`, rv 139, each rv and recv error followed by NanoMQ's own blank line), resets, malformed packets, takeovers,
 * connections closed before CONNECT, CONNECT timeouts, `pipe id … is gone` — and, in the console format, lines of two
 * threads merged into one. `format` picks the console (`file.c:line func: msg`) or the file format (`file.c:line: msg`).
 */
export type LogFormat = "console" | "file";

const SRC = "/root/.cache/mqdiag-nanomq/0.25.3/src/nng/src";
const pad = (n: number) => String(n).padStart(2, "0");
export function stamp(seconds: number): string {
  const d = new Date(Date.UTC(2026, 0, 1) + seconds * 1000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** Where a message comes from: its level, source file:line and function. */
const AT = {
  online: ["WARN ", "sp/protocol/mqtt/mqtt_parser.c:1370", "nano_msg_notify"],
  offline: ["WARN ", "sp/protocol/mqtt/mqtt_parser.c:1374", "nano_msg_notify"],
  sleep: ["WARN ", "sp/protocol/mqtt/nmq_mqtt.c:184", "nano_pipe_timer_cb"],
  kick: ["WARN ", "sp/protocol/mqtt/nmq_mqtt.c:249", "nano_pipe_timer_cb"],
  recv: ["WARN ", "sp/transport/mqtt/broker_tcp.c:711", "tcptran_pipe_recv_cb"],
  rv: ["WARN ", "sp/transport/mqtt/broker_tcp.c:1014", "tcptran_pipe_recv_cb"],
  malformed: ["WARN ", "sp/transport/mqtt/broker_tcp.c:745", "tcptran_pipe_recv_cb"],
  collision: ["ERROR", "core/pipe.c:484", "nni_pipe_set_pid"],
  nego: ["WARN ", "sp/transport/mqtt/broker_tcp.c:342", "tcptran_pipe_nego_cb"],
  negoRv: ["ERROR", "sp/transport/mqtt/broker_tcp.c:486", "tcptran_pipe_nego_cb"],
  gone: ["WARN ", "sp/protocol/mqtt/nmq_mqtt.c:397", "nano_ctx_send"],
} as const;
type Where = keyof typeof AT;

/** Lines of each signature (and known line) the generator wrote: what grep and the classifier must both count. */
export interface GeneratedCounts {
  bytes: number;
  lines: number;
  incidents: Record<string, number>;
}

export class NanomqLogWriter {
  private readonly out: string[] = [];
  second = 0;
  private client = 0;
  readonly counts: GeneratedCounts = { bytes: 0, lines: 0, incidents: {} };

  constructor(private readonly format: LogFormat) {}

  private line(tid: number, where: Where, msg: string, blankAfter = false): string {
    const [level, file, func] = AT[where];
    const text =
      this.format === "console"
        ? `${stamp(this.second)} [${tid}] ${level} ${SRC}/${file} ${func}: ${msg}`
        : `${stamp(this.second)} [${tid}] ${level} ${SRC}/${file}: ${msg}`;
    return blankAfter ? `${text}\n` : text;
  }

  private push(...lines: string[]): void {
    for (const l of lines) this.out.push(l);
  }

  private incident(kind: string): void {
    this.counts.incidents[kind] = (this.counts.incidents[kind] ?? 0) + 1;
  }

  /** One client's life: online, maybe an incident, offline, the timer's `sleep aio error 7`. */
  cycle(n: number): void {
    const id = `sensor-${(this.client++ % 5000).toString(36)}-${n % 7 === 0 ? "gateway" : "node"}`;
    const t = 10000 + (n % 8);
    const u = 10000 + ((n + 3) % 8);
    this.push(this.line(t, "online", `${id} online!`));
    const pick = n % 97;
    if (pick === 11) {
      this.incident("keepalive-timeout");
      if (this.format === "console" && n % 2 === 0) {
        // Two threads' lines merged: the kick runs into the recv error of the other thread.
        this.push(
          `${this.line(u, "kick", `Warning: close pipe ${n} & kick client due to KeepAlive timeout!`)}${this.line(t, "recv", "nni aio recv error!! Object closed")}`,
          "",
        );
      } else {
        this.push(
          this.line(u, "kick", `Warning: close pipe ${n} & kick client due to KeepAlive timeout!`),
          this.line(t, "recv", "nni aio recv error!! Object closed", true),
        );
      }
      this.push(this.line(t, "rv", "tcptran_pipe_recv_cb: recv_error rv: 139", true));
    } else if (pick === 23) {
      this.incident("peer-gone");
      this.push(
        this.line(t, "recv", "nni aio recv error!! Connection shutdown", true),
        this.line(t, "rv", "tcptran_pipe_recv_cb: recv_error rv: 139", true),
      );
    } else if (pick === 37) {
      this.incident("malformed-packet");
      this.push(
        this.line(t, "malformed", "MALFORMED_PACKET received."),
        this.line(t, "rv", "tcptran_pipe_recv_cb: recv_error rv: 17", true),
      );
    } else if (pick === 51) {
      this.incident("takeover");
      this.push(
        this.line(u, "collision", "Client ID collision or set ID failed!"),
        this.line(t, "recv", "nni aio recv error!! Object closed", true),
        this.line(t, "rv", "tcptran_pipe_recv_cb: recv_error rv: 139", true),
      );
    } else if (pick === 67) {
      this.incident("closed-before-connect");
      this.push(
        this.line(u, "nego", "nego aio error: Connection shutdown"),
        this.line(u, "negoRv", "connect nego error rv:(31)"),
      );
    } else if (pick === 79) {
      this.incident("connect-timeout");
      this.push(
        this.line(u, "nego", "nego aio error: Timed out"),
        this.line(u, "negoRv", "connect nego error rv:(5)"),
      );
    } else if (pick === 89) {
      this.push(this.line(u, "gone", `pipe id ${n * 7919} is gone, pub failed`));
    }
    this.push(this.line(u, "offline", `${id} offline!`), this.line(t, "sleep", "sleep aio error 7"));
  }

  /** Takes what was written so far as text (and counts it). */
  take(): string {
    const text = `${this.out.join("\n")}\n`;
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) this.counts.lines++;
    this.out.length = 0;
    this.counts.bytes += Buffer.byteLength(text);
    return text;
  }
}

/** Writes a log of at least `bytes` bytes to `path`; returns what it holds. */
export async function generateNanomqLog(
  path: string,
  bytes: number,
  format: LogFormat,
  startSecond = 0,
): Promise<GeneratedCounts> {
  const out = createWriteStream(path, { highWaterMark: 4 << 20 });
  const w = new NanomqLogWriter(format);
  w.second = startSecond;
  let n = 0;
  while (w.counts.bytes < bytes) {
    for (let i = 0; i < 2000; i++) {
      w.cycle(n++);
      if (n % 40 === 0) w.second++;
    }
    if (!out.write(w.take())) await new Promise<void>((r) => out.once("drain", () => r()));
  }
  await new Promise<void>((resolve, reject) =>
    out.end((err?: Error | null) => (err ? reject(err) : resolve())),
  );
  return w.counts;
}
