import { spawnSync } from "node:child_process";
import { createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * `npm run bench -- logs`: generates a NanoMQ console log of at least 1 GB (noise plus every field sequence,
 * merged lines included) in a temp dir, classifies it with the real classifier in a child process (peak RSS from
 * the child's own resource usage), and reports its throughput as a ratio to `grep -c` over the same file, both
 * measured in this run with a warm page cache. The file is deleted afterwards.
 */
const TARGET_BYTES = Number(process.env.MQDIAG_BENCH_LOG_BYTES ?? 1024 ** 3 + 1);
const LINES_PER_BLOCK = 4000;
const CLASSIFY = fileURLToPath(new URL("../src/logs/classify.js", import.meta.url));

const pad = (n: number) => String(n).padStart(2, "0");
function stamp(seconds: number): string {
  const d = new Date(Date.UTC(2024, 0, 1) + seconds * 1000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

const NOISE = [
  "INFO  nng/src/sp/protocol/mqtt/nmq_mqtt.c:655 nano_pipe_start: client connected, keepalive 60",
  "DEBUG nanomq/pub_handler.c:1100 handle_pub: publish to topic sensors/room-12/temperature qos 1",
  "DEBUG nng/src/sp/transport/mqtt/broker_tcp.c:520 tcptran_pipe_nego_cb: new connection from 10.0.3.17:50231",
  "DEBUG nanomq/sub_handler.c:201 sub_ctx_handle: subscribe sensors/+/temperature qos 1",
];
const W = "WARN  nng/src/sp/transport/mqtt/broker_tcp.c:731 tcptran_pipe_recv_cb:";
const SEQUENCES: ((tid: number) => string[])[] = [
  (t) => [
    `[${t + 1}] WARN  nng/src/sp/protocol/mqtt/nmq_mqtt.c:302 nano_pipe_timer_cb: Warning: close pipe ${t} & kick client due to KeepAlive timeout!`,
    `[${t}] ${W} nni aio recv error!! Object closed`,
    `[${t}] ${W} tcptran_pipe_recv_cb: recv_error rv: 139`,
  ],
  (t) => [
    `[${t}] ${W} nni aio recv error!! Connection shutdown`,
    `[${t}] ${W} tcptran_pipe_recv_cb: recv_error rv: 139`,
  ],
  (t) => [`[${t}] ${W} MALFORMED_PACKET received.`, `[${t}] ${W} tcptran_pipe_recv_cb: recv_error rv: 17`],
  (t) => [
    `[${t + 2}] ERROR nng/src/core/pipe.c:352 nni_pipe_set_pid: nni_pipe_set_pid: Client ID collision or set ID failed!`,
    `[${t}] ${W} nni aio recv error!! Object closed`,
    `[${t}] ${W} tcptran_pipe_recv_cb: recv_error rv: 139`,
  ],
];

/** One block of lines, all in second `second`: mostly noise, one sequence every ~50 lines. */
function block(second: number, seq: number): string {
  const s = stamp(second);
  const out: string[] = [];
  for (let i = 0; i < LINES_PER_BLOCK; i++) {
    if (i % 50 === 25) {
      const lines = (SEQUENCES[(seq + i) % SEQUENCES.length] as (t: number) => string[])(100 + (i % 40));
      for (const l of lines) out.push(`${s} ${l}`);
    } else {
      out.push(`${s} [${10 + (i % 8)}] ${NOISE[i % NOISE.length]}`);
    }
  }
  return `${out.join("\n")}\n`;
}

async function generate(path: string): Promise<number> {
  const out = createWriteStream(path, { highWaterMark: 4 << 20 });
  let bytes = 0;
  for (let second = 0; bytes < TARGET_BYTES; second++) {
    const chunk = block(second, second);
    bytes += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await new Promise<void>((r) => out.once("drain", () => r()));
  }
  await new Promise<void>((resolve, reject) =>
    out.end((err?: Error | null) => (err ? reject(err) : resolve())),
  );
  return bytes;
}

function timed<T>(fn: () => T): { value: T; seconds: number } {
  const start = performance.now();
  const value = fn();
  return { value, seconds: (performance.now() - start) / 1000 };
}

function grepCount(path: string): { count: number; seconds: number } {
  const r = timed(() =>
    spawnSync("grep", ["-c", "kick client due to KeepAlive timeout", path], { encoding: "utf8" }),
  );
  return { count: Number(r.value.stdout.trim()), seconds: r.seconds };
}

interface ChildResult {
  lines: number;
  keepalive: number;
  maxRssKb: number;
}

function classifyInChild(path: string): { value: ChildResult; seconds: number } {
  const script = `
    const { classifyLogs } = await import(${JSON.stringify(CLASSIFY)});
    const s = await classifyLogs([${JSON.stringify(path)}]);
    process.stdout.write(JSON.stringify({
      lines: s.lines,
      keepalive: s.incidents.get("keepalive-timeout")?.count ?? 0,
      maxRssKb: process.resourceUsage().maxRSS,
    }));`;
  return timed(() => {
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      encoding: "utf8",
      maxBuffer: 1 << 20,
    });
    if (r.status !== 0) throw new Error(`classifier child failed: ${r.stderr}`);
    return JSON.parse(r.stdout) as ChildResult;
  });
}

export default async function logsBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "mqdiag-bench-logs-"));
  try {
    const path = join(dir, "nanomq.log");
    const gen = performance.now();
    await generate(path);
    const size = statSync(path).size;
    const mb = size / 1024 ** 2;
    console.log(
      `generated ${(size / 1024 ** 3).toFixed(2)} GB in ${((performance.now() - gen) / 1000).toFixed(1)} s`,
    );
    grepCount(path); // warm the page cache for both
    const grep = grepCount(path);
    const classify = classifyInChild(path);
    const grep2 = grepCount(path);
    const grepSeconds = Math.min(grep.seconds, grep2.seconds);
    const c = classify.value;
    console.log(
      `grep -c:    ${grepSeconds.toFixed(2)} s, ${(mb / grepSeconds).toFixed(0)} MB/s (${grep.count} kick lines)`,
    );
    console.log(
      `classifier: ${classify.seconds.toFixed(2)} s, ${(mb / classify.seconds).toFixed(0)} MB/s, ${c.lines} lines, ${c.keepalive} keepalive incidents, peak RSS ${(c.maxRssKb / 1024).toFixed(0)} MB (limit 150 MB)`,
    );
    console.log(`throughput ratio classifier / grep -c: ${(grepSeconds / classify.seconds).toFixed(3)}`);
    if (c.keepalive !== grep.count)
      console.log(`MISMATCH: ${c.keepalive} keepalive incidents but ${grep.count} kick lines`);
    if (c.maxRssKb / 1024 >= 150) console.log("OVER BUDGET: peak RSS is 150 MB or more");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
