import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { statSync } from "node:fs";
import { runsHere } from "./runs-here.js";

const PCAP_HEADER_BYTES = 24;

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/**
 * Real captures for the capture tests: Debian's tcpdump on loopback, packet-buffered (-U) into a file, started
 * only once it says "listening on" (plus a short settle), stopped with SIGINT so it writes its last packets.
 * It needs root (or CAP_NET_RAW). CI installs tcpdump and runs as root (.ci/run); there a missing tcpdump fails
 * the tests. Locally they are skipped with one line.
 */
export function tcpdumpPath(): string | undefined {
  for (const candidate of ["/usr/bin/tcpdump", "/usr/sbin/tcpdump"]) {
    try {
      execFileSync(candidate, ["--version"], { stdio: "ignore" });
      return candidate;
    } catch {
      // not there
    }
  }
  return undefined;
}

const TCPDUMP = tcpdumpPath();
const ROOT = process.getuid?.() === 0;

/** true when the tcpdump tests should run; throws under CI when they cannot (never skip in CI). */
export function tcpdumpAvailable(): boolean {
  const missing = TCPDUMP ? (ROOT ? undefined : "not running as root") : "tcpdump is not installed";
  return runsHere(missing, "the real-capture tests", "apt-get install tcpdump, run as root; .ci/run does");
}

export interface Tcpdump {
  file: string;
  /** SIGINT, then resolves once tcpdump has written its file and exited. */
  stop(): Promise<void>;
}

/**
 * `tcpdump -i <iface> -U -w <file> <filter>`, resolved once it has written a packet of `poke`'s (a TCP connection
 * the filter matches, say): "listening on" comes before the capture is attached, and how long after depends on the
 * machine's load.
 */
export async function startTcpdump(
  iface: string,
  file: string,
  filter: string,
  o: { extra?: string[]; poke: () => Promise<void> },
): Promise<Tcpdump> {
  const extra = o.extra ?? [];
  if (!TCPDUMP) throw new Error("tcpdump not installed");
  // --immediate-mode: without it the kernel hands packets over in blocks, and those still in the ring when
  // SIGINT comes (up to the last second of the capture) are never written
  // -s/-B: the kernel ring holds snaplen-sized slots, so at the default 256 KiB snaplen its 2 MiB hold 8 frames and
  // a burst on a loaded machine overflows it (seen: CONNECTs and SYNs dropped); MQTT control packets fit in 2 KiB
  const args = [
    "-i",
    iface,
    "--immediate-mode",
    "-U",
    "-s",
    "2048",
    "-B",
    "16384",
    "-w",
    file,
    ...extra,
    filter,
  ];
  const child: ChildProcess = spawn(TCPDUMP, args, {
    stdio: ["ignore", "ignore", "pipe"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let stderr = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tcpdump did not start listening: ${stderr}`)), 10_000);
    child.stderr?.on("data", (d: Buffer) => {
      stderr += d.toString();
      if (stderr.includes("listening on")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`tcpdump exited (${code}) before listening: ${stderr}`));
    });
  });
  const deadline = Date.now() + 10_000;
  while (fileSize(file) <= PCAP_HEADER_BYTES) {
    if (Date.now() > deadline) throw new Error(`tcpdump on ${iface} wrote no packet within 10 s`);
    await o.poke();
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    file,
    async stop() {
      if (child.exitCode === null) child.kill("SIGINT");
      await exited;
    },
  };
}
