import { afterEach, describe, expect, it } from "vitest";
import { mosquittoAvailable } from "../helpers/mosquitto.js";
import { aliasesTowardsClient, aliasReaction, publishWithAliases } from "./broker/mqtt5-alias.js";
import { endAll } from "./broker/mqtt5-procedures.js";
import { mosquittoSideBySide } from "./broker/side-by-side.js";

/**
 * (5.0) Topic aliases on the real mosquitto 2.0.11 and the embedded mosquitto profile side by side. Measured (5 runs,
 * no variance): CONNACK Topic Alias Maximum 10; alias 10 accepted; alias 0 → DISCONNECT 0x81 (`e0 01 81`, logged
 * as a malformed packet), 11 → 0x94 (`Bad socket read/write … Unknown error.`), an unmapped alias with an empty
 * topic → 0x82 (protocol error); mosquitto never uses aliases towards a client, even one that allows them.
 */
describe.runIf(mosquittoAvailable())("topic aliases: real mosquitto and the mosquitto profile", () => {
  const { both } = mosquittoSideBySide();
  afterEach(endAll);

  it("client → broker: 10 accepted, 0 → 0x81, 11 → 0x94, unmapped → 0x82, the same bytes on both", async () => {
    const cases = [
      { alias: 10, topic: "x", expected: { reply: "", closed: false } },
      { alias: 0, topic: "x", expected: { reply: "e00181", closed: true } },
      { alias: 11, topic: "x", expected: { reply: "e00194", closed: true } },
      { alias: 3, topic: "", expected: { reply: "e00182", closed: true } },
    ];
    for (const c of cases) {
      const [r, e] = await both((b) => aliasReaction(b.port, c.alias, c.topic));
      expect(r).toEqual(c.expected);
      expect(e).toEqual(r);
    }
  }, 20_000);

  it("an MQTT.js publisher using aliases is understood by both", async () => {
    const [r, e] = await both((b) => publishWithAliases(b.env));
    expect(r).toHaveLength(3);
    expect(e).toEqual(r);
  });

  it("broker → client: no aliases from either, though the client allows 2", async () => {
    const [r, e] = await both((b) => aliasesTowardsClient(b.env, b.port, 2));
    expect(r?.map((p) => [p.topic, p.alias])).toEqual(
      ["a", "b", "c", "a", "b", "c"].map((t) => [t, undefined]),
    );
    expect(e).toEqual(r);
  });
});
