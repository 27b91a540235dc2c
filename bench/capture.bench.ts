import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateCapture } from "./capture-generate.js";

/**
 * `npm run bench -- capture`: generates a ~100 MB pcap of many MQTT connections (bench/capture-generate.ts) and
 * reads it, in the same run and alternately, with `mqdiag capture --format json` (the real CLI in a child: every
 * connection's verdict; peak RSS from /usr/bin/time) and with `tshark -r <file> -Y mqtt -T fields -e mqtt.msgtype`
 * (Wireshark's dissectors: TCP reassembly and MQTT decoding of the same packets, no verdicts). Reports MB/s, the
 * ratio, peak RSS, the load average, and whether the counts agree with what was generated and with tshark's.
 * `MQDIAG_BENCH_CAPTURE_BYTES` and `MQDIAG_BENCH_ROUNDS` set size and rounds; tshark (Debian) is needed only here.
 */
const TARGET_BYTES = Number(process.env.MQDIAG_BENCH_CAPTURE_BYTES ?? 100 * 1024 ** 2);
const ROUNDS = Number(process.env.MQDIAG_BENCH_ROUNDS ?? 2);
const BIN = fileURLToPath(new URL("../../bin/mqdiag.js", import.meta.url));

interface Run {
  seconds: number;
  rssMb: number | null;
  stdout: string;
}

function timedRun(cmd: string, args: string[]): Run {
  const start = performance.now();
  const r = spawnSync("/usr/bin/time", ["-f", "%M", cmd, ...args], { encoding: "utf8", maxBuffer: 1 << 30 });
  const seconds = (performance.now() - start) / 1000;
  const rssKb = Number(r.stderr.trim().split("\n").pop());
  if (r.status !== 0 && r.status !== 1)
    throw new Error(`${cmd} failed (${r.status}): ${r.stderr.slice(0, 400)}`);
  return { seconds, rssMb: Number.isFinite(rssKb) ? rssKb / 1024 : null, stdout: r.stdout };
}

export default async function bench(): Promise<void> {
  if (spawnSync("tshark", ["--version"]).status !== 0) {
    console.log("tshark not installed (apt-get install tshark): the capture bench needs it as its reference");
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), "mqdiag-bench-capture-"));
  try {
    const file = join(dir, "bench.pcap");
    const gen = generateCapture(file, TARGET_BYTES);
    const mb = gen.bytes / 1e6;
    console.log(
      `generated ${mb.toFixed(0)} MB: ${gen.packets} packets, ${gen.connections} connections, ${gen.mqttPackets} MQTT packets`,
    );
    const ours: Run[] = [];
    const theirs: Run[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      ours.push(timedRun(process.execPath, [BIN, "capture", file, "--format", "json"]));
      theirs.push(timedRun("tshark", ["-r", file, "-Y", "mqtt", "-T", "fields", "-e", "mqtt.msgtype"]));
    }
    const best = (runs: Run[]) => Math.min(...runs.map((r) => r.seconds));
    const doc = JSON.parse(ours[0]?.stdout ?? "{}") as {
      connections: {
        ending: string;
        packets: { client: Record<string, number>; broker: Record<string, number> };
      }[];
    };
    let decoded = 0;
    const endings = new Map<string, number>();
    for (const c of doc.connections) {
      for (const n of [...Object.values(c.packets.client), ...Object.values(c.packets.broker)]) decoded += n;
      endings.set(c.ending, (endings.get(c.ending) ?? 0) + 1);
    }
    const tsharkMessages = (theirs[0]?.stdout ?? "")
      .split("\n")
      .filter(Boolean)
      .reduce((n, line) => n + line.split(",").length, 0);
    const o = best(ours);
    const t = best(theirs);
    console.log(
      `mqdiag capture: ${o.toFixed(2)} s (${(mb / o).toFixed(0)} MB/s), peak RSS ${ours[0]?.rssMb?.toFixed(0)} MB`,
    );
    console.log(
      `tshark -Y mqtt: ${t.toFixed(2)} s (${(mb / t).toFixed(0)} MB/s), peak RSS ${theirs[0]?.rssMb?.toFixed(0)} MB`,
    );
    console.log(
      `ratio mqdiag/tshark time: ${(o / t).toFixed(2)} (best of ${ROUNDS}; load average ${loadavg()[0]?.toFixed(2)})`,
    );
    console.log(
      `agreement: connections ${doc.connections.length}/${gen.connections}, MQTT packets mqdiag ${decoded} · tshark ${tsharkMessages} · generated ${gen.mqttPackets}; endings ${JSON.stringify(Object.fromEntries(endings))} (generated ${JSON.stringify(gen.endings)})`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
