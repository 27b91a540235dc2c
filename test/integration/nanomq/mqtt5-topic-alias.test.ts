import { afterEach, describe, expect, it } from "vitest";
import { nanomqAvailable } from "../../helpers/nanomq.js";
import { aliasesTowardsClient, aliasReaction } from "../broker/mqtt5-alias.js";
import { connackOf, connect5, endAll } from "../broker/mqtt5-procedures.js";
import { nanomq025SideBySide } from "../broker/side-by-side.js";

/**
 * (5.0) Topic aliases on the real NanoMQ 0.25.3 and the embedded nanomq profile side by side. Measured (5 runs, no
 * variance): CONNACK Topic Alias Maximum 0, and every inbound alias refused: 0 → DISCONNECT 0x82, 1, 10 or an
 * unmapped one → 0x80 (logged ERROR `Invalid Topic Alias: 1 (Server Max allowed: 0)…`); no aliases towards clients.
 */
describe.runIf(nanomqAvailable("0.25.3"))("topic aliases: real NanoMQ 0.25.3 and the nanomq profile", () => {
  const { both } = nanomq025SideBySide();
  afterEach(endAll);

  it("client → broker: Topic Alias Maximum 0; 0 → 0x82, 1 and unmapped → 0x80, the same bytes on both", async () => {
    const [rc, ec] = await both((b) => connect5(b.env, {}));
    expect((rc && connackOf(rc))?.properties?.topicAliasMaximum).toBe(0);
    expect((ec && connackOf(ec))?.properties?.topicAliasMaximum).toBe(0);
    const cases = [
      { alias: 0, topic: "x", expected: { reply: "e0028200", closed: true } },
      { alias: 1, topic: "x", expected: { reply: "e0028000", closed: true } },
      { alias: 3, topic: "", expected: { reply: "e0028000", closed: true } },
    ];
    for (const c of cases) {
      const [r, e] = await both((b) => aliasReaction(b.port, c.alias, c.topic));
      expect(r).toEqual(c.expected);
      expect(e).toEqual(r);
    }
  }, 20_000);

  it("broker → client: no aliases from either, though the client allows 2", async () => {
    // NanoMQ forwards QoS 0 from its worker threads: the order varies run to run (2 in 18 runs: b c a …)
    const runs = await both((b) => aliasesTowardsClient(b.env, b.port, 2));
    for (const r of runs) {
      expect(r.map((p) => p.alias)).toEqual(Array(6).fill(undefined));
      expect(r.map((p) => p.topic).sort()).toEqual(["a", "a", "b", "b", "c", "c"]);
    }
  });
});
