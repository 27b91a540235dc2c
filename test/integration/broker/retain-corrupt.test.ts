import { describe, expect, it } from "vitest";
import { NANOMQ_LATEST, type NanomqVersion, type ProfileName } from "../../../src/core/profile.js";
import { broker, client, inbox, sentTo, until } from "./helpers.js";
import { messageOf } from "./lines.js";

/** Which line the stored-copy corruption prints, and when (catalogue since/until of retain-decode-failure). */
const CASES: [string, ProfileName, NanomqVersion, string[], "store" | "deliver" | "none"][] = [
  ["nanomq latest", "nanomq", NANOMQ_LATEST, ["decode retain msg failed!"], "deliver"],
  // 0.23 has both checks (as 0.25.3's source does): a copy broken in storage shows at delivery
  ["nanomq 0.23", "nanomq", [0, 23, 0], ["decode retain msg failed!"], "deliver"],
  ["nanomq 0.22.0 (store check only)", "nanomq", [0, 22, 0], ["decode retain msg failed, drop msg"], "store"],
  ["nanomq 0.21", "nanomq", [0, 21, 0], [], "none"],
  ["spec", "spec", NANOMQ_LATEST, ["retained message on bad/1 failed to decode and was dropped"], "deliver"],
  ["mosquitto", "mosquitto", NANOMQ_LATEST, [], "none"],
];

describe.each(CASES)("corrupt retained copy, %s", (_name, profile, nanomqVersion, lines, stage) => {
  it("drops only that message, logs the signature where the era does, delivers the others", async () => {
    const b = await broker({ profile, nanomqVersion });
    b.faults.corruptRetained = (topic) => topic === "bad/1";
    const pub = await client(b, { clientId: "rpub" });
    await pub.publishAsync("good/1", "fine", { qos: 1, retain: true });
    await pub.publishAsync("bad/1", "broken", { qos: 1, retain: true });
    await pub.publishAsync("good/2", "also fine", { qos: 0, retain: true });
    const afterStore = b.logLines().filter((l) => l.signature === "retain-decode-failure").length;
    expect(afterStore).toBe(stage === "store" ? 1 : 0);

    const sent = sentTo(b, "rsub");
    const sub = await client(b, { clientId: "rsub" });
    const got = inbox(sub);
    await sub.subscribeAsync("#", { qos: 1 });
    // the SUBACK is in: what the broker sent for this SUBSCRIBE is all it will send
    expect(sent()).toBe(2);
    await until(() => got.length >= 2, 5000, "the two good retained messages");
    expect(got.map((m) => m.topic).sort()).toEqual(["good/1", "good/2"]);
    const failures = b.logLines().filter((l) => l.signature === "retain-decode-failure");
    expect(failures.map((l) => messageOf(profile, l.line))).toEqual(lines);
    // the broker and the subscriber carry on: live traffic on the corrupted topic still flows
    await pub.publishAsync("bad/1", "live", { qos: 1 });
    await until(() => got.length === 3, 5000, "live message");
    expect(got[2]).toEqual({ topic: "bad/1", payload: "live", qos: 1, retain: false });
    expect(b.stats().internalErrors).toBe(0);
  });
});
