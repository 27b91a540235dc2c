import { describe, expect, it } from "vitest";
import { joinIncidents } from "../../../src/capture/broker-log-join.js";
import type { ConnectionTimeline } from "../../../src/capture/timeline.js";
import type { ConnectionVerdict, Verdict } from "../../../src/capture/verdict-types.js";
import type { Incident } from "../../../src/logs/incident.js";

const T = Date.UTC(2026, 11, 6, 15, 0, 0);

function connection(
  id: number,
  clientId: string,
  closeMs: number,
  ending: Verdict["ending"],
): ConnectionVerdict {
  const at = { packet: id * 10, timeMs: closeMs };
  return {
    timeline: {
      id,
      connect: { at, clientId, protocolVersion: 4, keepaliveS: 5, cleanStart: true },
      closes: [{ by: "broker", how: "fin", at }],
    } as unknown as ConnectionTimeline,
    verdict: { ending } as Verdict,
  };
}

function incident(kind: Incident["kind"], ms: number, clients: string[], zoned: boolean): Incident {
  return {
    kind,
    file: "nanomq.log",
    first: { ms, zoned },
    last: { ms, zoned },
    firstLine: 7,
    lastLine: 9,
    clients,
    signatures: [],
    guessed: false,
    complete: true,
  };
}

describe("joining broker-log incidents to connections", () => {
  const conns = [
    connection(1, "a", T + 400, "kicked"),
    connection(2, "b", T + 3_700, "kicked"),
    connection(3, "c", T + 3_900, "kicked"),
    connection(4, "d", T + 3_800, "client-reset"),
  ];

  it("an unnamed kick line (NanoMQ at warn) joins the one kicked connection closed within its second", () => {
    const joins = joinIncidents(conns, [incident("keepalive-timeout", T, [], false)], 0);
    expect([...joins.keys()]).toEqual([1]);
    expect(joins.get(1)).toMatchObject([{ kind: "keepalive-timeout", by: "time", line: 7 }]);
  });

  it("two kicks in the same second are ambiguous; a named line picks its own client", () => {
    const ambiguous = joinIncidents(conns, [incident("keepalive-timeout", T + 3000, [], false)], 0);
    expect([...ambiguous.keys()].sort()).toEqual([2, 3]);
    expect(ambiguous.get(2)?.[0]?.by).toBe("ambiguous");
    const named = joinIncidents(conns, [incident("keepalive-timeout", T + 3000, ["c"], false)], 0);
    expect([...named.keys()]).toEqual([3]);
    expect(named.get(3)?.[0]?.by).toBe("client-id");
  });

  it("a kind that does not fit the ending, or a time outside the second, joins nothing", () => {
    expect(joinIncidents(conns, [incident("takeover", T, [], false)], 0).size).toBe(0);
    expect(joinIncidents(conns, [incident("keepalive-timeout", T + 10_000, [], false)], 0).size).toBe(0);
    expect(joinIncidents(conns, [incident("peer-gone", T + 3000, [], false)], 0).get(4)?.[0]?.by).toBe(
      "time",
    );
  });

  it("a log written in local time (no zone) is shifted by the zone offset; a zoned one is not", () => {
    const oneHourAhead = incident("keepalive-timeout", T + 3_600_000, [], false);
    expect([...joinIncidents(conns, [oneHourAhead], -3_600_000).keys()]).toEqual([1]);
    const zoned = incident("keepalive-timeout", T, [], true);
    expect([...joinIncidents(conns, [zoned], -3_600_000).keys()]).toEqual([1]);
  });
});
