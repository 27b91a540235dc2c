import type { Clock } from "../../../src/core/clock.js";
import { DEFAULT_PROFILE_OPTIONS, type ProfileOptions } from "../../../src/core/profile.js";
import { type BehaviourSpec, startClient } from "../../../src/fleet/behaviour-spec.js";
import { MALFORMED_VARIANTS } from "../../../src/fleet/malformed.js";
import type { ClientRecord, FleetClient } from "../../../src/fleet/types.js";
import { keepaliveBudget } from "../../../src/scenarios/keepalive-budget.js";
import { defaultPingAt } from "../../../src/scenarios/late-ping.js";
import { connectBytes, rawConnect, rawConnectMqtt } from "../../helpers/raw-client.js";
import { v5VariantBytes } from "../../helpers/v5-variant-bytes.js";

/**
 * The fidelity suite's cases: each scenario of src/scenarios (its fleet behaviour, as the scenario starts it)
 * and each malformed variant of src/fleet/malformed.ts, as a script that runs the same way against any broker on
 * a real-time clock. A case returns what its clients saw; the runner adds the log lines it caused.
 */

/** The settings every target of the suite runs with: Q 1 s, M 1.25, keepalive 2 s. */
export const Q_MS = 1000;
export const MULTIPLIER = 1.25;
export const KEEPALIVE_S = 2;

export function profileFor(nanomqVersion: ProfileOptions["nanomqVersion"]): ProfileOptions {
  return {
    ...DEFAULT_PROFILE_OPTIONS,
    profile: "nanomq",
    retryIntervalMs: Q_MS,
    keepaliveMultiplier: MULTIPLIER,
    nanomqVersion,
  };
}

export interface CaseContext {
  clock: Clock;
  host: string;
  port: number;
}

/** What one connection saw, timing left out. */
export interface ClientView {
  clientId: string;
  role: string;
  closedBy: string | null;
  closeKind: string | null;
  reasonCode: number | null;
  bytesReceived: number;
  /** Packets received, in order (CONNACK, SUBACK, PUBLISH …). */
  received: string[];
  notes: Record<string, string | number | boolean>;
  /** Every byte received after the case's own bytes went out (hex), where the case records them. */
  reply?: string;
}

/** A kick measured from the client: seconds from its CONNACK (or its last packet) to the broker's close. */
export interface KickTime {
  clientId: string;
  keepaliveS: number;
  fromConnectS: number;
  fromLastSendS: number;
}

export interface CaseOutcome {
  clients: ClientView[];
  kicks: KickTime[];
}

export interface FidelityCase {
  name: string;
  /** The scenario or malformed variant it stands for. */
  source: string;
  run(ctx: CaseContext): Promise<CaseOutcome>;
}

export function view(r: ClientRecord): ClientView {
  return {
    clientId: r.clientId,
    role: r.behaviour,
    closedBy: r.closedBy,
    closeKind: r.closeKind,
    reasonCode: r.reasonCode,
    bytesReceived: r.bytesReceived,
    received: r.events.filter((e) => e.dir === "in").map((e) => e.packet),
    notes: r.notes,
  };
}

function kickTime(r: ClientRecord): KickTime | undefined {
  if (r.closedBy !== "broker" || r.closedAt === null || r.connectedAt === null) return undefined;
  return {
    clientId: r.clientId,
    keepaliveS: r.keepaliveMs / 1000,
    fromConnectS: (r.closedAt - r.connectedAt) / 1000,
    fromLastSendS: (r.closedAt - (r.lastSentAt ?? r.connectedAt)) / 1000,
  };
}

async function client(
  ctx: CaseContext,
  clientId: string,
  spec: BehaviourSpec,
  keepaliveS = KEEPALIVE_S,
  protocolVersion: 4 | 5 = 4,
): Promise<FleetClient> {
  return startClient(
    { clock: ctx.clock, target: { host: ctx.host, port: ctx.port }, clientId, keepaliveS, protocolVersion },
    spec,
  );
}

/** Waits until every connection of `clients` is closed (or `timeoutMs`), then stops them (client side). */
async function finish(ctx: CaseContext, clients: FleetClient[], timeoutMs: number): Promise<CaseOutcome> {
  const deadline = ctx.clock.now() + timeoutMs;
  const open = () => clients.flatMap((c) => c.records()).some((r) => r.closedAt === null);
  while (open() && ctx.clock.now() < deadline) await ctx.clock.sleep(20);
  await Promise.all(clients.map((c) => c.stop()));
  const records = clients.flatMap((c) => c.records());
  return {
    clients: records.map(view),
    kicks: records.flatMap((r) => kickTime(r) ?? []),
  };
}

/** Waits for each client's script to end, then stops them. */
async function whenDone(clients: FleetClient[]): Promise<CaseOutcome> {
  await Promise.all(clients.map((c) => c.done));
  await Promise.all(clients.map((c) => c.stop()));
  const records = clients.flatMap((c) => c.records());
  return { clients: records.map(view), kicks: records.flatMap((r) => kickTime(r) ?? []) };
}

const id = (name: string) => `fid-${name}`;

/** The keepalive-budget scenario's two clients at Q 1 s, M 1.25, keepalive 2 (the model's numbers). */
function budgetIntervals(): { survivorMs: number; lateMs: number } {
  const b = keepaliveBudget(profileFor([0, 25, 3]), KEEPALIVE_S * 1000);
  if (b.largestSafeMs === null || b.smallestKickedMs === null) throw new Error("no budget");
  // The scenario's margins (3 % of keepalive, at least its tolerance): 0.06 s here, 0.2 s for a real broker.
  return { survivorMs: b.largestSafeMs - 200, lateMs: b.smallestKickedMs + 200 };
}

export const SCENARIO_CASES: FidelityCase[] = [
  {
    name: "late-ping",
    source: "scenario late-ping",
    async run(ctx) {
      const at = defaultPingAt(profileFor([0, 25, 3]), KEEPALIVE_S);
      const c = await client(ctx, id("late-ping"), {
        behaviour: "late-ping",
        intervalMs: at === null ? null : at * KEEPALIVE_S * 1000,
      });
      return finish(ctx, [c], 10_000);
    },
  },
  {
    name: "tcp-rst",
    source: "scenario tcp-rst",
    async run(ctx) {
      return whenDone([
        await client(ctx, id("tcp-rst"), { behaviour: "rst", afterMs: (KEEPALIVE_S * 1000) / 2 }),
      ]);
    },
  },
  {
    name: "corrupt-retain",
    source: "scenario corrupt-retain (no fault: it cannot be injected into a real broker)",
    async run(ctx) {
      return whenDone([
        await client(ctx, id("corrupt-retain"), {
          behaviour: "corrupt-retain",
          topic: "fid/corrupt-retain/retained",
          waitMessageMs: 1000,
        }),
      ]);
    },
  },
  {
    name: "subscriber-only",
    source: "scenario subscriber-only",
    async run(ctx) {
      const c = await client(ctx, id("subscriber-only"), {
        behaviour: "subscriber-only",
        topic: "fid/subscriber-only/stream",
      });
      // The feeder publishes until the kick, then DISCONNECTs: the subscriber's record and its kick count.
      const out = await finish(ctx, [c], 8000);
      return out;
    },
  },
  {
    name: "session-takeover",
    source: "scenario session-takeover",
    async run(ctx) {
      return whenDone([
        await client(ctx, id("session-takeover"), { behaviour: "takeover", afterMs: 500, waitCloseMs: 2000 }),
      ]);
    },
  },
  {
    name: "fin-close",
    source: "scenario fin-close",
    async run(ctx) {
      return whenDone([
        await client(ctx, id("fin-close"), { behaviour: "fin", afterMs: (KEEPALIVE_S * 1000) / 2 }),
      ]);
    },
  },
  {
    name: "keepalive-budget",
    source: "scenario keepalive-budget",
    async run(ctx) {
      const { survivorMs, lateMs } = budgetIntervals();
      const survivor = await client(ctx, id("keepalive-budget-survivor"), {
        behaviour: "late-ping",
        intervalMs: survivorMs,
      });
      const late = await client(ctx, id("keepalive-budget-late"), {
        behaviour: "late-ping",
        intervalMs: lateMs,
      });
      const endAt = ctx.clock.now() + KEEPALIVE_S * 1000 + 3 * survivorMs + 500;
      const kicked = await finish(ctx, [late], KEEPALIVE_S * 1000 + 2 * lateMs + 1000);
      await ctx.clock.sleep(Math.max(0, endAt - ctx.clock.now()));
      const survived = await finish(ctx, [survivor], 0);
      return { clients: [...survived.clients, ...kicked.clients], kicks: kicked.kicks };
    },
  },
  {
    name: "clean-disconnect",
    source: "every scenario's control client (a clean DISCONNECT)",
    async run(ctx) {
      return whenDone([await client(ctx, id("clean"), { behaviour: "clean", afterMs: 300 })]);
    },
  },
  {
    name: "keepalive-1-2-4",
    source: "kick times: keepalive 1, 2 and 4, silent from CONNECT",
    async run(ctx) {
      const clients = await Promise.all(
        [1, 2, 4].map((k) =>
          client(ctx, id(`silent-k${k}`), { behaviour: "late-ping", pingOnTime: false, intervalMs: null }, k),
        ),
      );
      return finish(ctx, clients, 9000);
    },
  },
];

/** How long a malformed case waits for the broker to close before closing itself (FIN, as the fleet does). */
const MALFORMED_WAIT_MS = 800;

/** The packets a client received; the reply bytes say the rest when they do not decode. */
function decoded(packets: () => { cmd: string }[]): { cmd: string }[] {
  try {
    return packets();
  } catch {
    return [{ cmd: "undecodable" }];
  }
}

/** One connection sends `bytes` (after a good CONNECT unless `beforeConnect`); every byte it gets back is kept. */
async function badBytes(
  ctx: CaseContext,
  clientId: string,
  bytes: Buffer,
  beforeConnect: boolean,
  protocolVersion: 4 | 5 = 4,
): Promise<CaseOutcome> {
  const c = beforeConnect
    ? await rawConnect(ctx.port, ctx.host)
    : await rawConnectMqtt(ctx.port, { clientId, keepalive: KEEPALIVE_S, protocolVersion }, ctx.host);
  try {
    const before = c.received().length;
    c.send(bytes);
    const end = await c.waitForEnd(MALFORMED_WAIT_MS);
    if (end.kind === "open") await c.end();
    const reply = c.received().subarray(before);
    const packets =
      end.kind === "open" ? decoded(() => c.packets(protocolVersion)).slice(beforeConnect ? 0 : 1) : [];
    return {
      clients: [
        {
          clientId,
          role: "malformed",
          closedBy: end.kind === "open" ? "client" : "broker",
          closeKind: end.kind === "open" ? "FIN" : end.kind.toUpperCase(),
          reasonCode: null,
          bytesReceived: reply.length,
          received: packets.map((p) => p.cmd),
          notes: {},
          reply: reply.toString("hex"),
        },
      ],
      kicks: [],
    };
  } finally {
    c.destroy();
  }
}

export const MALFORMED_CASES: FidelityCase[] = [
  ...MALFORMED_VARIANTS.map(
    (v): FidelityCase => ({
      name: `malformed ${v.name}`,
      source: `scenario malformed-packet --malformed ${v.name}`,
      run: (ctx) => badBytes(ctx, id(`malformed-${v.name}`), v.bytes, v.beforeConnect),
    }),
  ),
  // The same variants on an MQTT 5 connection (their v5 encoding: a property length where MQTT 5 has one).
  ...MALFORMED_VARIANTS.filter((v) => !v.beforeConnect).map(
    (v): FidelityCase => ({
      name: `malformed ${v.name} (MQTT 5)`,
      source: `the ${v.name} variant on an MQTT 5 connection`,
      run: (ctx) => badBytes(ctx, id(`malformed-${v.name}-v5`), v5VariantBytes(v), false, 5),
    }),
  ),
];

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ""), "hex");

/** Lines the scenarios do not cover but NanoMQ users meet (and the profile's guesses about them). */
export const EXTRA_CASES: FidelityCase[] = [
  {
    name: "kick (MQTT 5)",
    source: "a silent MQTT 5 client, keepalive 1: NanoMQ kicks it with a plain close, no DISCONNECT 0x8D",
    async run(ctx) {
      const c = await client(
        ctx,
        id("kick-v5"),
        { behaviour: "late-ping", pingOnTime: false, intervalMs: null },
        1,
        5,
      );
      return finish(ctx, [c], 6000);
    },
  },
  {
    name: "session-takeover (MQTT 5)",
    source: "a takeover of an MQTT 5 client: a plain close, no DISCONNECT 0x8E",
    async run(ctx) {
      return whenDone([
        await client(
          ctx,
          id("takeover-v5"),
          { behaviour: "takeover", afterMs: 300, waitCloseMs: 2000 },
          KEEPALIVE_S,
          5,
        ),
      ]);
    },
  },
  {
    name: "fin-before-connect",
    source: "a TCP connection closed before CONNECT (health checks, port scanners, reachability checks)",
    async run(ctx) {
      const c = await rawConnect(ctx.port, ctx.host);
      await c.end();
      return { clients: [], kicks: [] };
    },
  },
  {
    name: "rst-before-connect",
    source: "a TCP connection reset before CONNECT",
    async run(ctx) {
      const c = await rawConnect(ctx.port, ctx.host);
      await new Promise((r) => setTimeout(r, 50));
      c.reset();
      return { clients: [], kicks: [] };
    },
  },
  {
    name: "connect-remaining-length-overflow",
    source: "a CONNECT whose remaining length runs to a 5th byte",
    run: (ctx) => badBytes(ctx, id("connect-rl"), hex("10 FF FF FF FF 7F"), true),
  },
  {
    name: "second-connect",
    source: "a second CONNECT on a connected connection [MQTT-3.1.0-2]",
    run: (ctx) =>
      badBytes(ctx, id("second-connect"), connectBytes({ clientId: id("second-connect") }), false),
  },
  {
    name: "client-connack",
    source: "a CONNACK sent by a client",
    run: (ctx) => badBytes(ctx, id("client-connack"), hex("20 02 00 00"), false),
  },
  ...(
    [
      ["client-suback", "a SUBACK sent by a client", "90 03 0001 00"],
      ["client-unsuback", "an UNSUBACK sent by a client", "b0 02 0001"],
      ["client-pingresp", "a PINGRESP sent by a client", "d0 00"],
      ["auth-on-3.1.1", "AUTH (type 15) on a 3.1.1 connection, where it is reserved", "f0 00"],
    ] as const
  ).map(
    ([name, source, bytes]): FidelityCase => ({
      name,
      source,
      run: (ctx) => badBytes(ctx, id(name), hex(bytes), false),
    }),
  ),
  {
    name: "oversize-publish",
    source: "a PUBLISH over max_packet_size (10 KB in the suite's config; the profile's limit set to match)",
    run: (ctx) => {
      const body = Buffer.alloc(12 * 1024, 0x78);
      const topic = hex("0003 612f62");
      const len = topic.length + body.length;
      const header = Buffer.from([0x30, (len & 0x7f) | 0x80, len >> 7]);
      return badBytes(ctx, id("oversize"), Buffer.concat([header, topic, body]), false);
    },
  },
];

/** Runs beside the others (its 15 s wait would dominate otherwise); its lines are told apart by their text. */
export const NO_CONNECT_CASE: FidelityCase = {
  name: "no-connect",
  source: "scenario no-connect",
  async run(ctx) {
    return whenDone([await client(ctx, id("no-connect"), { behaviour: "no-connect", waitCloseMs: 18_000 })]);
  },
};

/** The lines of the no-connect case: NanoMQ's nego timeout and the rv 5 after it, in either era's wording. */
export function isNegoTimeoutLine(text: string): boolean {
  return /^nego aio error: Timed out$|^connect nego error rv: ?(Timed out)?\(5\)$/.test(text);
}
