import { afterEach, describe, expect, it } from "vitest";
import { broker, client } from "./helpers.js";
import { aliasesTowardsClient, aliasReaction, publishWithAliases } from "./mqtt5-alias.js";
import { collect, connackOf, connect5, type Env, endAll, realSleep, settle } from "./mqtt5-procedures.js";

/**
 * (5.0) Topic aliases on the spec profile, both directions (§3.3.2.3.4): the broker accepts up to the Topic Alias
 * Maximum its CONNACK gives (10, our pick), refuses 0 and over the maximum with DISCONNECT 0x94 [MQTT-3.3.2-8/9] and
 * an unmapped alias with 0x82; towards a client that allows aliases it assigns them itself.
 */
afterEach(endAll);

async function specEnv(): Promise<{ env: Env; port: number }> {
  const b = await broker({ profile: "spec" });
  return { env: { url: b.url, sleep: realSleep }, port: b.port };
}

describe("spec profile: topic aliases, client → broker", () => {
  it("CONNACK gives Topic Alias Maximum 10; an MQTT.js publisher using aliases is understood", async () => {
    const { env } = await specEnv();
    const c = await connect5(env, {});
    expect(connackOf(c)?.properties?.topicAliasMaximum).toBe(10);
    expect(await publishWithAliases(env)).toEqual([
      { topic: "same", payload: "m0" },
      { topic: "same", payload: "m1" },
      { topic: "same", payload: "m2" },
    ]);
  });

  it("alias 10 is accepted; 0 and 11 → DISCONNECT 0x94; an unmapped alias → 0x82; each closes", async () => {
    const { port } = await specEnv();
    expect(await aliasReaction(port, 10, "x")).toEqual({ reply: "", closed: false });
    expect(await aliasReaction(port, 0, "x")).toEqual({ reply: "e0029400", closed: true });
    expect(await aliasReaction(port, 11, "x")).toEqual({ reply: "e0029400", closed: true });
    expect(await aliasReaction(port, 3, "")).toEqual({ reply: "e0028200", closed: true });
  });
});

describe("spec profile: topic aliases, broker → client", () => {
  it("a client allowing 2 aliases: a and b get one on first use and go by alias alone after; c goes without", async () => {
    const { env, port } = await specEnv();
    expect(await aliasesTowardsClient(env, port, 2)).toEqual([
      { topic: "a", alias: 1, payload: "a" },
      { topic: "b", alias: 2, payload: "b" },
      { topic: "c", alias: undefined, payload: "c" },
      { topic: "", alias: 1, payload: "a" },
      { topic: "", alias: 2, payload: "b" },
      { topic: "c", alias: undefined, payload: "c" },
    ]);
  });

  it("an MQTT.js 5 subscriber allowing aliases sees every message on its topic; without, none is used", async () => {
    const b = await broker({ profile: "spec" });
    const env: Env = { url: b.url, sleep: realSleep };
    const withAliases = await client(b, { protocolVersion: 5, properties: { topicAliasMaximum: 5 } });
    const without = await connect5(env, {});
    await withAliases.subscribeAsync("al/#", { qos: 1 });
    await without.subscribeAsync("al/#", { qos: 1 });
    const got: { topic: string; alias: number | undefined }[] = [];
    withAliases.on("message", (topic, _p, packet) =>
      got.push({ topic, alias: packet.properties?.topicAlias }),
    );
    const pub = await connect5(env, {});
    for (let i = 0; i < 3; i++) await pub.publishAsync("al/t", `m${i}`, { qos: 1 });
    const plain = collect(without);
    await settle(() => got.length >= 3 && plain.length >= 3, 1000);
    expect(got).toEqual([1, 2, 3].map(() => ({ topic: "al/t", alias: 1 })));
    expect(plain.map((m) => [m.topic, m.topicAlias])).toEqual([1, 2, 3].map(() => ["al/t", undefined]));
  });
});
