import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import dgram from "node:dgram";
import { createInterface } from "node:readline";
import { monoMs } from "./mono-time.js";

/**
 * When each broker close left the broker, at the kernel: a tcpdump on loopback of every FIN or RST sent FROM the
 * broker's port, timestamped by the kernel as the packet is sent (before any client process reads it). This is the
 * broker's kick time as the network sees it, whatever the fleet's own process is busy with (10,000 clients in one
 * process read 4,000 closes one after another: that lag is the fleet's, not the broker's).
 *
 * The capture's timestamps are CLOCK_REALTIME; they are mapped onto CLOCK_MONOTONIC (the bench's common frame,
 * mono-time.ts) with UDP marker datagrams sent through the same capture: monotonic time read just before each send,
 * capture time of that datagram; the smallest difference of several is the offset (the send can only be later than
 * the read). Markers before and after the run give the drift between the two clocks over the run.
 */
export interface WireCloses {
  /** First FIN/RST the broker sent to each client port, CLOCK_MONOTONIC ms. */
  firstCloseMono: Map<number, number>;
  /** capture clock − monotonic at the end minus at the start, ms (the two clocks' drift over the run). */
  driftMs: number;
  /** Uncertainty of the mapping: the spread of the marker differences at the start (smallest to second smallest), ms. */
  calibrationSpreadMs: number;
}

export interface WireCapture {
  stop(): Promise<WireCloses>;
}

const MARKERS = 5;

/** Whether tcpdump is installed (capturing also needs CAP_NET_RAW: startWireCapture rejects without it). */
export function tcpdumpAvailable(): boolean {
  return spawnSync("tcpdump", ["--version"], { stdio: "ignore" }).status === 0;
}

/** Starts capturing the closes `brokerPort` sends on loopback; resolves when tcpdump listens and is calibrated. */
export async function startWireCapture(brokerPort: number): Promise<WireCapture> {
  const marker = dgram.createSocket("udp4");
  await new Promise<void>((resolve) => marker.bind(0, "127.0.0.1", resolve));
  const markerPort = marker.address().port;
  const filter = `(tcp and src port ${brokerPort} and tcp[tcpflags] & (tcp-fin|tcp-rst) != 0) or (udp and src port ${markerPort} and dst port ${markerPort})`;
  const child: ChildProcess = spawn(
    "tcpdump",
    ["-i", "lo", "-n", "-tt", "-l", "-s", "96", "-B", "16384", "--immediate-mode", filter],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const firstCloseReal = new Map<number, number>();
  const markerReal: number[] = [];
  let markerWaiter: (() => void) | undefined;
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  // e.g. `1733526000.123456 IP 127.0.0.1.1883 > 127.0.0.1.41234: Flags [F.], seq …` or `… UDP, length 1`
  const lineRe = /^(\d+)\.(\d{6}) IP [\d.]+\.(\d+) > [\d.]+\.(\d+): (Flags|UDP)/;
  lines.on("line", (line) => {
    const m = lineRe.exec(line);
    if (!m) return;
    const realMs = Number(m[1]) * 1000 + Number(m[2]) / 1000;
    if (m[5] === "UDP") {
      markerReal.push(realMs);
      markerWaiter?.();
      return;
    }
    const clientPort = Number(m[4]);
    if (!firstCloseReal.has(clientPort)) firstCloseReal.set(clientPort, realMs);
  });
  await new Promise<void>((resolve, reject) => {
    const err = createInterface({ input: child.stderr as NodeJS.ReadableStream });
    err.on("line", (line) => {
      if (line.startsWith("listening on")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`tcpdump exited ${code}`)));
  });

  /** capture − monotonic, from MARKERS datagrams: [smallest, second smallest]. */
  const calibrate = async (): Promise<[number, number]> => {
    const diffs: number[] = [];
    for (let i = 0; i < MARKERS; i++) {
      const seen = new Promise<void>((resolve) => {
        markerWaiter = resolve;
      });
      const before = markerReal.length;
      const sentMono = monoMs();
      marker.send(Buffer.from([i]), markerPort, "127.0.0.1");
      await Promise.race([seen, new Promise((r) => setTimeout(r, 1000))]);
      const real = markerReal[before];
      if (real !== undefined) diffs.push(real - sentMono);
    }
    if (diffs.length === 0) throw new Error("tcpdump did not see its calibration datagrams");
    diffs.sort((a, b) => a - b);
    return [diffs[0] ?? 0, diffs[1] ?? diffs[0] ?? 0];
  };
  const [startOffset, startSecond] = await calibrate();
  return {
    async stop() {
      const [endOffset] = await calibrate();
      // every line tcpdump printed has been read once its stdout closes
      const drained = new Promise((r) => lines.once("close", r));
      child.kill("SIGINT");
      await drained;
      marker.close();
      const firstCloseMono = new Map<number, number>();
      for (const [port, real] of firstCloseReal) firstCloseMono.set(port, real - startOffset);
      return {
        firstCloseMono,
        driftMs: endOffset - startOffset,
        calibrationSpreadMs: startSecond - startOffset,
      };
    },
  };
}
