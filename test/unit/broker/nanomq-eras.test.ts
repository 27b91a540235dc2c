import { describe, expect, it } from "vitest";
import { nanomqDialect, negoRv } from "../../../src/broker/dialects/nanomq.js";
import type { ConnInfo, LogEntry } from "../../../src/broker/dialects/types.js";
import { nanomqReact } from "../../../src/broker/profiles/nanomq-reactions.js";
import type { Violation } from "../../../src/broker/wire/violation.js";
import { NANOMQ_LATEST, type NanomqVersion } from "../../../src/core/profile.js";
import { renderMessage } from "../../../src/signatures/render.js";

const V0_21_9: NanomqVersion = [0, 21, 9];
const V0_25_3: NanomqVersion = [0, 25, 3];

/** What a broker of `version` prints for these entries (entries its era has no line for print nothing). */
function texts(version: NanomqVersion, entries: LogEntry[]): string[] {
  return entries.flatMap((e) => {
    if (!("id" in e)) return [`known:${e.known}`];
    const r = renderMessage(e.id, e.key, "nanomq", version, e.args);
    return r ? [r.text] : [];
  });
}

const conn: ConnInfo = {
  clientId: "c",
  pipeId: 7,
  ip: "127.0.0.1",
  port: 1,
  protocolVersion: 4,
  clean: true,
  keepaliveS: 2,
  requestedKeepaliveS: 2,
  connected: true,
};

describe("the nanomq dialect's eras (as measured on 0.21.9 and 0.25.3)", () => {
  it("words a nego failure as each build does", () => {
    expect(texts(V0_21_9, [negoRv(V0_21_9, "bad-connect", 13)])).toEqual([
      "connect nego error rv: Protocol error(13)",
    ]);
    expect(texts(V0_21_9, [negoRv(V0_21_9, "bad-connect", 153)])).toEqual([
      "connect nego error rv: Unknown error #153(153)",
    ]);
    expect(texts(V0_21_9, [negoRv(V0_21_9, "connect-timeout", 5)])).toEqual([
      "connect nego error rv: Timed out(5)",
    ]);
    expect(texts(V0_21_9, [negoRv(V0_21_9, "closed-before-connect", 31)])).toEqual([
      "connect nego error rv: Connection shutdown(31)",
    ]);
    for (const [id, rv] of [
      ["bad-connect", 13],
      ["connect-timeout", 5],
      ["closed-before-connect", 31],
    ] as const) {
      expect(texts(V0_25_3, [negoRv(V0_25_3, id, rv)])).toEqual([`connect nego error rv:(${rv})`]);
    }
  });

  it("closes: 0.25.3 puts a kick's offline line before its recv error and a sleep aio line after other closes", () => {
    const d25 = nanomqDialect(V0_25_3);
    const d21 = nanomqDialect(V0_21_9);
    const kick = { type: "closed", conn, cause: "keepalive" } as const;
    const fin = { type: "closed", conn, cause: "peer-closed" } as const;
    const bye = { type: "closed", conn, cause: "disconnect" } as const;
    expect(texts(V0_25_3, d25.entries(kick))).toEqual([
      "c offline!",
      "nni aio recv error!! Object closed",
      "tcptran_pipe_recv_cb: recv_error rv: 139",
    ]);
    expect(texts(V0_25_3, d25.entries(fin))).toEqual([
      "nni aio recv error!! Connection shutdown",
      "tcptran_pipe_recv_cb: recv_error rv: 139",
      "c offline!",
      "known:timer-cancelled",
    ]);
    expect(texts(V0_25_3, d25.entries(bye))).toEqual(["c offline!", "known:timer-cancelled"]);
    expect(texts(V0_21_9, d21.entries(fin))).toEqual([
      "nni aio recv error!! Connection shutdown",
      "tcptran_pipe_recv_cb: parse error rv: 139",
    ]);
    expect(texts(V0_21_9, d21.entries(bye))).toEqual([]);
    const early = {
      type: "closed",
      conn: { ...conn, connected: false, clientId: null },
      cause: "peer-reset",
    } as const;
    expect(texts(V0_21_9, d21.entries(early))).toEqual([
      "nego aio error: Connection shutdown",
      "connect nego error rv: Connection shutdown(31)",
    ]);
    expect(texts(V0_25_3, d25.entries(early))).toEqual([
      "nego aio error: Connection shutdown",
      "connect nego error rv:(31)",
    ]);
  });
});

describe("nanomqReact per era", () => {
  const ctx = { clientId: "c", protocolVersion: 4, ip: "127.0.0.1", port: 1 };
  const v = (kind: Violation["kind"], extra: Partial<Violation> = {}): Violation => ({
    kind,
    packetType: 0,
    ...extra,
  });
  const hex = (r: ReturnType<ReturnType<typeof nanomqReact>>) =>
    r.action === "reply" ? r.reply.toString("hex") : r.action;

  it("flagged PINGREQ: ignored by 0.21.9, answered by 0.25.3", () => {
    expect(hex(nanomqReact(V0_21_9)(v("pingreq-flags"), ctx))).toBe("ignore");
    expect(hex(nanomqReact(NANOMQ_LATEST)(v("pingreq-flags"), ctx))).toBe("d000");
  });

  it("second CONNECT and client CONNACK: 0.21.9 silent / CONNACK back, 0.25.3 closes with rv 129", () => {
    expect(hex(nanomqReact(V0_21_9)(v("second-connect"), ctx))).toBe("ignore");
    expect(hex(nanomqReact(V0_21_9)(v("server-packet", { packetType: 2 }), ctx))).toBe("20020000");
    for (const kind of ["second-connect", "server-packet"] as const) {
      const r = nanomqReact(V0_25_3)(v(kind, { packetType: 2 }), ctx);
      expect(r.action === "close" && r.rv).toBe(129);
    }
  });

  it("SUBSCRIBE without a filter: kept open, SUBACK with its packet id (0x80 on 0.21.9, QoS 0 on 0.25.3)", () => {
    expect(hex(nanomqReact(V0_21_9)(v("subscribe-empty", { packetId: 0x1234 }), ctx))).toBe("9003123480");
    expect(hex(nanomqReact(V0_25_3)(v("subscribe-empty", { packetId: 0x1234 }), ctx))).toBe("9003123400");
    // MQTT 5: a property length, and 0.21.9's failure is 0x8F (topic filter invalid)
    const ctx5 = { ...ctx, protocolVersion: 5 };
    expect(hex(nanomqReact(V0_21_9)(v("subscribe-empty", { packetId: 1 }), ctx5))).toBe("90040001008f");
    expect(hex(nanomqReact(V0_25_3)(v("subscribe-empty", { packetId: 1 }), ctx5))).toBe("900400010000");
  });

  it("a topic that is not UTF-8 on MQTT 5: the property parser's complaint, and each build's own ending", () => {
    const ctx5 = { ...ctx, protocolVersion: 5 };
    const lines = (version: NanomqVersion) => {
      const r = nanomqReact(version)(v("publish-bad-utf8-topic"), ctx5);
      return r.action === "close" ? [...texts(version, r.entries), r.sendFirst?.toString("hex")] : [];
    };
    expect(lines(V0_21_9)).toEqual([
      "Malformed packet: property len > remaining len!",
      "decode message failed.",
      "e0028200",
    ]);
    expect(lines(V0_25_3)).toEqual([
      "UTF-8 check failed!",
      "Malformed packet: property len > remaining len!",
      "Topic is NULL",
      "e0028000",
    ]);
  });

  it("garbage first: the whole first byte in hex, as %x prints it", () => {
    const r = nanomqReact(V0_25_3)(v("garbage-before-connect", { packetType: 0xe0 }), {
      ...ctx,
      clientId: null,
    });
    expect(r.action === "close" && texts(V0_25_3, r.entries)).toEqual([
      "Illegal CONNECT Packet type e0",
      "connect nego error rv:(13)",
    ]);
  });
});
