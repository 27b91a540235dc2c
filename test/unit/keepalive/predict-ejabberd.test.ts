import { describe, expect, it } from "vitest";
import { ejabberdDelay, ejabberdKickAt, ejabberdLimitMs } from "../../../src/keepalive/predict-ejabberd.js";
import { sourceDelayAfterLastPacket, sourceKickWindow } from "../../../src/keepalive/predict-source.js";

describe("ejabberd's mod_mqtt keepalive (round(1.5 × KA) whole seconds after the last inbound bytes)", () => {
  it("rounds 1.5 × KA half up to whole seconds, as Erlang's round/1 does: 1 → 2 s, 3 → 5 s, 5 → 8 s", () => {
    expect([1, 2, 3, 4, 5, 60, 61].map((k) => ejabberdLimitMs(k * 1000))).toEqual([
      2000, 3000, 5000, 6000, 8000, 90_000, 92_000,
    ]);
    expect(ejabberdLimitMs(0)).toBeNull();
    expect(ejabberdDelay(3000)).toEqual({ minMs: 5000, maxMs: 5000, exact: true });
  });

  it("restarts at every inbound packet; a gap of exactly the limit is kicked", () => {
    expect(ejabberdKickAt({ keepaliveMs: 2000, connectAt: 100 })).toBe(3100);
    expect(ejabberdKickAt({ keepaliveMs: 2000, connectAt: 0, inboundAt: [1300] })).toBe(4300);
    expect(ejabberdKickAt({ keepaliveMs: 2000, connectAt: 0, inboundAt: [3000, 9000] })).toBe(3000);
    expect(ejabberdKickAt({ keepaliveMs: 0, connectAt: 0 })).toBeNull();
  });

  it("is reachable through the models' one entry point", () => {
    expect(sourceKickWindow({ model: "ejabberd" }, { keepaliveMs: 5000 })).toEqual({
      earliestMs: 8000,
      latestMs: 8000,
      exact: true,
    });
    expect(sourceDelayAfterLastPacket({ model: "ejabberd" }, 1000)?.minMs).toBe(2000);
  });
});
