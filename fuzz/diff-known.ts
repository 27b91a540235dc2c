import type { DiffRecord, DiffSide, KnownDifference } from "./differential.js";

/**
 * The differences between a real broker and its profile that the differential fuzzing keeps, by name. Measured
 * (docs/fuzz.md has the counts per version): every named malformed variant of the corpus, and the garbage sent
 * instead of a CONNECT, agree exactly; what differs is how a MUTATED packet is judged. The profile decodes with
 * mqtt-packet plus its own checks, the real brokers with their own parsers, which accept or refuse other damage and
 * say so in other words. Each entry rewrites only what it names, and only for the records it describes; anything
 * else stays "unexplained" and fails the CI slice.
 */
const chain = (s: DiffSide) => s.lines.filter((l) => !l.startsWith("~ "));
const typeOf = (r: DiffRecord) => Number.parseInt(r.bad.slice(0, 1), 16);
const adoptProfile = (r: DiffRecord): DiffRecord => ({ ...r, real: r.profile });
const mutation = (r: DiffRecord) => r.plan === "mutation";

function when(test: (r: DiffRecord) => boolean): (r: DiffRecord) => DiffRecord {
  return (r) => (test(r) ? adoptProfile(r) : r);
}

/** The profile's answer to a packet it cannot decode: `Invalid Packet Type…` then rv 129. */
const profileCatchAll = (r: DiffRecord) => chain(r.profile)[0]?.includes("Invalid Packet Type") ?? false;

/** The names a connection that sent a named variant of the corpus may still differ by (races, not behaviour). */
export const VARIANT_RACES = ["nanomq-send-aio-race", "nanomq-timer-line-late"];

export const NANOMQ_KNOWN: readonly KnownDifference[] = [
  {
    name: "nanomq-send-aio-race",
    reason:
      "the real 0.25.3 now and then prints ` send aio error Object closed(7)` (WARN) as a pipe closes with a send still in flight (measured: once in ~50 `publish-empty` connections); the profile never does",
    normalise: (r) => ({
      ...r,
      real: { ...r.real, lines: r.real.lines.filter((l) => !/send aio error Object closed\(7\)$/.test(l)) },
    }),
  },
  {
    name: "nanomq-timer-line-late",
    reason:
      "the real 0.25.3 writes `sleep aio error 7` (the closed pipe's timer cancelled) after the connection's chain has ended; on a loaded machine it can come after the comparison's window (seen once in 2,000 connections at load average 20, twice in a row; the same connection replayed 20 times at a lower load agreed every time); the profile's line is there",
    normalise: (r) =>
      r.real.lines.some((l) => l.includes("known:timer-cancelled"))
        ? r
        : {
            ...r,
            profile: {
              ...r.profile,
              lines: r.profile.lines.filter((l) => !l.includes("known:timer-cancelled")),
            },
          },
  },
  {
    name: "nanomq-unknown-ack-line",
    reason:
      "an ack (PUBACK, PUBREC, PUBCOMP) for a packet id the broker does not hold: the real NanoMQ logs `ACK failed! qos msg <id> not found!` (WARN), the profile nothing",
    normalise: (r) => ({
      ...r,
      real: { ...r.real, lines: r.real.lines.filter((l) => !/ACK failed! qos msg \d+ not found!/.test(l)) },
    }),
  },
  {
    name: "nanomq-connect-parse",
    reason:
      "a CONNECT (first byte 0x10) broken inside, before any CONNECT, which the real NanoMQ closes: with its own parse complaint (`Remaining length parse error`, `Malformed CONNECT: incomplete len`, `UTF-8 check failed!` or none), a nego rv by cause (13, 130, 153) and, to a v5 CONNECT, maybe CONNACK 0x81; the profile prints `Illegal CONNECT Packet type 10` with the protocol-error rv, or (a length it reads differently) waits for the rest",
    normalise: when((r) => r.plan === "pre-connect" && r.bad.startsWith("10") && r.real.closed),
  },
  {
    name: "nanomq-pre-connect-lenient",
    reason:
      "bytes before any CONNECT which the profile refuses at once (`Illegal CONNECT Packet type …`) while the real NanoMQ keeps the connection: it waits for the whole frame the length declares (`00 12`), or accepts the CONNECT (0.21.9: a v5 CONNECT with the reserved flag bit set)",
    normalise: when((r) => r.plan === "pre-connect" && !r.real.closed && r.profile.closed),
  },
  {
    name: "nanomq-decode-rv-153",
    reason:
      "a mutated packet the profile accepts, which the real NanoMQ's decoder refuses: closed with only `rv: 153` (no complaint line)",
    normalise: when(
      (r) =>
        mutation(r) &&
        r.real.closed &&
        !r.profile.closed &&
        chain(r.real).length === 1 &&
        /rv: 153$/.test(chain(r.real)[0] ?? ""),
    ),
  },
  {
    name: "nanomq-accepts-more",
    reason:
      "a mutated packet the profile cannot decode (closed: `Invalid Packet Type…`, rv 129) which the real NanoMQ takes and keeps the connection open",
    normalise: when((r) => mutation(r) && r.profile.closed && !r.real.closed && profileCatchAll(r)),
  },
  {
    name: "nanomq-specific-complaint",
    reason:
      "a mutated packet both close: the profile with its catch-all (`Invalid Packet Type…`, rv 129), the real NanoMQ with a complaint of its own (`Invalid subscribe packet!`, `Invalid unsubscribe packet!`, `Topic is NULL` + DISCONNECT, rv 130, or none)",
    normalise: when((r) => mutation(r) && r.profile.closed && r.real.closed && profileCatchAll(r)),
  },
  {
    name: "nanomq-subscribe-checks",
    reason:
      "a mutated SUBSCRIBE / UNSUBSCRIBE the real NanoMQ checks further (`Invalid subscribe packet!`, `NOT utf8-encoded string OR null string.`, `sub_handler: [128]`, ` 0 Packetid in subscribe request`): it closes or answers other codes where the profile grants it",
    normalise: when((r) => mutation(r) && (typeOf(r) === 8 || typeOf(r) === 10)),
  },
  {
    name: "nanomq-topic-checks",
    reason:
      "a mutated PUBLISH whose topic the real NanoMQ refuses as `Topic is NULL` (after `UTF-8 check failed!`, maybe after acking it; DISCONNECT 0x80) where the profile takes it or refuses it otherwise (a wildcard: DISCONNECT 0x82)",
    normalise: when(
      (r) =>
        mutation(r) &&
        typeOf(r) === 3 &&
        r.real.closed &&
        r.real.lines.some((l) => l.includes("Topic is NULL")) &&
        !r.profile.lines.some((l) => l.includes("Topic is NULL")),
    ),
  },
  {
    name: "nanomq-publish-check-order",
    reason:
      "a mutated PUBLISH with more than one fault, which the profile refuses for its wildcard topic (`protocol error in topic…`, DISCONNECT 0x82) and the real NanoMQ for a fault it checks first (`0 Packet ID in QoS Message!` rv 130, or its topic check)",
    normalise: when(
      (r) =>
        mutation(r) &&
        typeOf(r) === 3 &&
        r.real.closed &&
        r.profile.closed &&
        r.profile.lines.some((l) => l.includes("protocol error in topic")) &&
        !r.real.lines.some((l) => l.includes("protocol error in topic")),
    ),
  },
  {
    name: "nanomq-ack-decode",
    reason:
      "a mutated PUBACK / PUBREC / PUBREL / PUBCOMP the profile accepts, which the real NanoMQ refuses (`decode PUBREC variable header failed!` rv 3, or other)",
    normalise: when(
      (r) => mutation(r) && typeOf(r) >= 4 && typeOf(r) <= 7 && r.real.closed && !r.profile.closed,
    ),
  },
  {
    name: "nanomq-profile-size-limit",
    reason:
      "a mutated packet (or CONNECT) whose remaining length declares more than the 10 KB max_packet_size: the profile refuses it at once (rv 17, no line); the real 0.25.3 does not enforce the limit and waits for the body; the profile of 0.21.9 says `Size of packet exceeds limitation: 0x95` (rv 149) where the real 0.21.9's decoder may refuse the packet first (rv 153)",
    normalise: when(
      (r) =>
        r.plan !== "variant" &&
        r.profile.closed &&
        ((chain(r.profile).length === 1 && /rv: 17$/.test(chain(r.profile)[0] ?? "")) ||
          (chain(r.profile)[0]?.includes("Size of packet exceeds limitation") ?? false)),
    ),
  },
  {
    name: "nanomq-ack-before-topic-check",
    reason:
      "a QoS 1/2 PUBLISH whose topic is empty: the real NanoMQ first acks it (PUBACK / PUBREC with the packet id it reads), then `Topic is NULL` and DISCONNECT 0x80; the profile sends only the DISCONNECT",
    normalise: (r) => ({
      ...r,
      real: {
        ...r.real,
        answered: r.real.answered.replace(/^(20020000)(?:40|50)02[0-9a-f]{4}(e002)/, "$1$2"),
      },
    }),
  },
  {
    name: "nanomq-reads-past-close",
    reason:
      "a mutated packet both close with the same first complaint, after which the real NanoMQ still reads the bytes that followed it in the same segment as a next packet (`Invalid Packet Type…` rv 129, `send aio error Object closed(7)`); the profile stops at the close",
    normalise: when(
      (r) =>
        mutation(r) &&
        r.real.closed &&
        r.profile.closed &&
        chain(r.real)[0] === chain(r.profile)[0] &&
        chain(r.real)
          .slice(1)
          .some((l) => l.includes("Invalid Packet Type")),
    ),
  },
  {
    name: "nanomq-answers-differ",
    reason:
      "a mutated packet both keep open with the same lines, answered differently (an ack for a damaged packet id, a PUBREC the profile does not send)",
    normalise: when(
      (r) =>
        mutation(r) &&
        !r.real.closed &&
        !r.profile.closed &&
        r.real.lines.join("\n") === r.profile.lines.join("\n"),
    ),
  },
];

/** mosquitto's lines name the client: `protocol-error/protocol <id>`, `malformed-packet/malformed <id>`, … */
const ends = (s: DiffSide) => s.lines.filter((l) => !l.startsWith("client-connected/"));

export const MOSQUITTO_KNOWN: readonly KnownDifference[] = [
  {
    name: "mosquitto-line-late",
    reason:
      "the real mosquitto closed the connection at once but had not written its line for it 2 s later (it comes later, among the next connections' lines); the profile's line is there",
    normalise: when(
      (r) =>
        r.real.closed &&
        r.profile.closed &&
        r.real.answered === r.profile.answered &&
        ends(r.real).length === 0 &&
        ends(r.profile).length === 1,
    ),
  },
  {
    name: "mosquitto-connect-checks",
    reason:
      "a mutated CONNECT the profile accepts which the real mosquitto refuses (`disconnected due to protocol error.`; e.g. the protocol level with its bridge bit 0x80 set)",
    normalise: when((r) => r.plan === "pre-connect" && r.real.closed && !r.profile.closed),
  },
  {
    name: "mosquitto-rejects-more",
    reason:
      "a mutated packet the profile accepts which the real mosquitto refuses: closed with `disconnected due to protocol error.` or `… malformed packet.`",
    normalise: when((r) => mutation(r) && r.real.closed && !r.profile.closed),
  },
  {
    name: "mosquitto-accepts-more",
    reason: "a mutated packet the profile refuses (closed, protocol error) which the real mosquitto takes",
    normalise: when((r) => mutation(r) && !r.real.closed && r.profile.closed),
  },
  {
    name: "mosquitto-other-complaint",
    reason:
      "a mutated packet (or a broken CONNECT) both close, each with its own line: protocol error on one side, malformed packet on the other",
    normalise: when(
      (r) => r.plan !== "variant" && r.real.closed && r.profile.closed && ends(r.real).length > 0,
    ),
  },
  {
    name: "mosquitto-answers-differ",
    reason: "a mutated packet both keep open with the same lines, answered differently",
    normalise: when(
      (r) =>
        mutation(r) &&
        !r.real.closed &&
        !r.profile.closed &&
        r.real.lines.join("\n") === r.profile.lines.join("\n"),
    ),
  },
];
