import net from "node:net";
import mqttPacket, { type Packet } from "mqtt-packet";
import {
  connectPacket,
  disconnectPacket,
  MALFORMED_AFTER_CONNECT,
  MALFORMED_BEFORE_CONNECT,
  VALID_PACKETS,
} from "./corpus.js";
import { mutate } from "./mutate.js";
import { pick, type Rand, randInt } from "./prng.js";
import type { StallMeter } from "./stall-meter.js";

/** What one fuzz connection did and what the broker did to it. */
export interface ConnectionOutcome {
  plan: "variant" | "mutated" | "pre-connect";
  /** The named malformed variant sent alone after CONNECT (plan "variant"). */
  variant?: string;
  packets: number;
  bytes: number;
  /** The broker closed the connection (FIN or RST) before we gave up waiting. */
  closedByBroker: boolean;
  /**
   * Real ms from the last write to the broker's close (when it closed after everything was written), less the
   * time this process was stalled in between (`stalledMs`, when a stall meter was given).
   */
  closeAfterMs?: number;
  /** Real ms this process's event loop was stalled between the last write and the close. */
  stalledMs?: number;
  /** Plan "variant": the bytes the broker sent after its CONNACK, hex ("" for none). */
  reply?: string;
  /** Every byte the broker sent, hex. */
  answered: string;
  /** A socket error other than the broker's reset (EPIPE and ECONNRESET count as the broker closing). */
  error?: string;
}

export interface ConnectionOptions {
  host: string;
  port: number;
  clientId: string;
  /** How long to wait after the last write for the broker to close, ms. */
  settleMs: number;
  maxPackets: number;
  /** Measures the stalls a close latency is corrected by. */
  stalls?: StallMeter;
  /** How long a named variant's connection waits for the close, ms (default 5 × settleMs). */
  variantSettleMs?: number;
}

/** Plans one connection's bytes from the seeded PRNG: the chunks to write and how many packets they hold. */
export function planConnection(rand: Rand, options: Pick<ConnectionOptions, "clientId" | "maxPackets">) {
  const roll = rand();
  const protocol = rand() < 0.5 ? 4 : 5;
  const connect = connectPacket(options.clientId, protocol);
  if (roll < 0.15) {
    // The table's bytes are 3.1.1 packets (a v5 PUBLISH has a properties field), so this plan speaks 3.1.1.
    const variant = pick(rand, MALFORMED_AFTER_CONNECT);
    return {
      plan: "variant" as const,
      variant: variant.name,
      packets: [connectPacket(options.clientId, 4), variant.bytes],
    };
  }
  if (roll < 0.22) {
    const first =
      rand() < 0.5
        ? pick(rand, MALFORMED_BEFORE_CONNECT).bytes
        : mutatedConnect(rand, preConnectClientId(options.clientId), protocol);
    return { plan: "pre-connect" as const, packets: [first] };
  }
  const packets = [connect];
  const count = 1 + randInt(rand, options.maxPackets);
  for (let i = 0; i < count; i++) {
    const r = rand();
    const valid = pick(rand, VALID_PACKETS);
    if (r < 0.55) packets.push(valid);
    else if (r < 0.9) packets.push(mutate(rand, valid, pick(rand, VALID_PACKETS)));
    else packets.push(pick(rand, MALFORMED_AFTER_CONNECT).bytes);
  }
  if (rand() < 0.3) packets.push(disconnectPacket());
  return { plan: "mutated" as const, packets };
}

/**
 * The client id of a pre-connect plan's CONNECT, which gets mutated: its own namespace (`mut-`, 4 bytes away from
 * `fuzz-`), so no single mutation of it is another connection's `fuzz-<n>`.
 */
export function preConnectClientId(clientId: string): string {
  return `mut-${clientId}`;
}

/**
 * One mutation of a CONNECT with `clientId`, drawn again while it still decodes as a valid CONNECT for another
 * client id: a byte overwritten in the id (`mut-fuzz-5962` → `mut-fuzz-5912`) would otherwise take over a live
 * fuzz connection, and the broker rightly closes the older one [MQTT-3.1.4-2] (issue 19: that was the failing
 * campaign, not the broker).
 */
export function mutatedConnect(rand: Rand, clientId: string, protocol: 4 | 5): Buffer {
  const connect = connectPacket(clientId, protocol);
  for (;;) {
    const bytes = mutate(rand, connect, pick(rand, VALID_PACKETS));
    const decoded = firstPacket(bytes);
    if (decoded?.cmd !== "connect" || decoded.clientId === clientId) return bytes;
  }
}

/** The first packet mqtt-packet decodes from `bytes`, if any. */
export function firstPacket(bytes: Buffer): Packet | undefined {
  const parser = mqttPacket.parser();
  let first: Packet | undefined;
  parser.on("packet", (p: Packet) => {
    first ??= p;
  });
  parser.on("error", () => {});
  parser.parse(bytes);
  return first;
}

/** Runs one planned connection against the broker: writes its packets in random chunks, then waits for a close. */
export function runConnection(rand: Rand, options: ConnectionOptions): Promise<ConnectionOutcome> {
  const planned = planConnection(rand, options);
  const stream = Buffer.concat(planned.packets);
  const chunks: Buffer[] = [];
  for (let at = 0; at < stream.length; ) {
    const size = 1 + randInt(rand, Math.max(1, stream.length - at));
    chunks.push(stream.subarray(at, at + size));
    at += size;
  }
  return new Promise((resolve) => {
    const outcome: ConnectionOutcome = {
      plan: planned.plan,
      variant: planned.variant,
      packets: planned.packets.length,
      bytes: stream.length,
      closedByBroker: false,
      answered: "",
    };
    const socket = net.connect(options.port, options.host);
    let done = false;
    let settle: NodeJS.Timeout | undefined;
    let lastWriteAt: number | undefined;
    const received: Buffer[] = [];
    const finish = () => {
      if (done) return;
      done = true;
      if (settle) clearTimeout(settle);
      socket.destroy();
      const answered = Buffer.concat(received);
      outcome.answered = answered.toString("hex");
      if (planned.plan === "variant") outcome.reply = afterConnack(answered);
      resolve(outcome);
    };
    const brokerClosed = () => {
      outcome.closedByBroker = true;
      if (lastWriteAt !== undefined) {
        const now = performance.now();
        const stalled = options.stalls?.stalledMs(lastWriteAt, now) ?? 0;
        outcome.closeAfterMs = now - lastWriteAt - stalled;
        outcome.stalledMs = stalled;
      }
      finish();
    };
    socket.on("data", (d: Buffer) => received.push(d));
    socket.on("end", brokerClosed);
    socket.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "ECONNRESET" || err.code === "EPIPE") brokerClosed();
      else {
        outcome.error = err.code ?? err.message;
        finish();
      }
    });
    socket.on("close", finish);
    /**
     * Gives up on a close after `ms` of time this process was not stalled: after a stall (a loaded machine holds
     * the whole process for up to a second), libuv runs the expired timers before it polls the sockets, so a close
     * or an answer already waiting in the kernel would be missed and the connection wrongly called open (measured:
     * seed 2 at load average 20, thousands of connections "left open" without even their CONNACK).
     */
    const waitForClose = (ms: number) => {
      const from = lastWriteAt ?? performance.now();
      const check = (waitMs: number) => {
        settle = setTimeout(() => {
          const now = performance.now();
          const active = now - from - (options.stalls?.stalledMs(from, now) ?? 0);
          // Still short of `ms`: wait the rest. Else one more poll of the sockets (setImmediate runs after it).
          if (active < ms) check(Math.max(1, ms - active));
          else setImmediate(finish);
        }, waitMs);
      };
      check(ms);
    };
    socket.once("connect", () => {
      const writeNext = (i: number) => {
        if (done) return;
        const chunk = chunks[i];
        if (chunk === undefined) {
          // A named variant's outcome is checked against the profile, so give the broker time to close it.
          const variantMs = options.variantSettleMs ?? options.settleMs * 5;
          waitForClose(planned.plan === "variant" ? variantMs : options.settleMs);
          return;
        }
        if (i === chunks.length - 1) lastWriteAt = performance.now();
        socket.write(chunk, () => setImmediate(() => writeNext(i + 1)));
      };
      writeNext(0);
    });
  });
}

/** The bytes after the 3.1.1 CONNACK (`20 02 ..`) at the start of `bytes`, hex. */
function afterConnack(bytes: Buffer): string {
  return (bytes[0] === 0x20 ? bytes.subarray(4) : bytes).toString("hex");
}
