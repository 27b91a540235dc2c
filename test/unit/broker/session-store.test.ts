import { describe, expect, it } from "vitest";
import { NEVER_EXPIRES_S } from "../../../src/broker/sessions/session.js";
import { SessionStore } from "../../../src/broker/sessions/session-store.js";
import { SubscriptionTable } from "../../../src/broker/subscriptions.js";
import { manualClock } from "../../../src/core/clock.js";

function store() {
  const clock = manualClock();
  const subs = new SubscriptionTable();
  subs.add("c", { filter: "t", qos: 1, noLocal: false, retainAsPublished: false });
  return { clock, subs, sessions: new SessionStore(clock, subs) };
}

/** open / detach / end, by the table: expiry and session present, [MQTT-3.2.2-1..3] (3.1.1), §3.2.2.1.1 (5.0). */
describe("SessionStore", () => {
  it.each([
    { expiryS: 0, afterMs: 0, kept: false },
    { expiryS: 10, afterMs: 9_999, kept: true },
    { expiryS: 10, afterMs: 10_000, kept: false },
    { expiryS: NEVER_EXPIRES_S, afterMs: 10 ** 9, kept: true },
    { expiryS: 3_000_000, afterMs: 10 ** 9, kept: true }, // past a real timer's range: not timed
  ])("expiry $expiryS s, $afterMs ms after the close: kept = $kept", ({ expiryS, afterMs, kept }) => {
    const { clock, subs, sessions } = store();
    const { session, present } = sessions.open("c", false, expiryS);
    expect(present).toBe(false);
    sessions.detach(session);
    clock.advance(afterMs);
    expect(sessions.get("c") !== undefined).toBe(kept);
    expect(subs.has("c")).toBe(kept); // the subscriptions go with the session
  });

  it("a resume clears the expiry timer and is present; a clean start discards the old session", () => {
    const { clock, sessions } = store();
    const first = sessions.open("c", false, 10).session;
    first.queue.push({
      message: { topic: "t", payload: Buffer.from("x"), qos: 1, retain: false },
      qos: 1,
      retain: false,
    });
    sessions.detach(first);
    clock.advance(5_000);
    const resumed = sessions.open("c", false, 10);
    expect(resumed).toMatchObject({ present: true });
    expect(resumed.session).toBe(first);
    clock.advance(20_000);
    expect(sessions.get("c")).toBe(first); // attached: no expiry
    const fresh = sessions.open("c", true, 10);
    expect(fresh.present).toBe(false);
    expect(fresh.session.queue).toHaveLength(0);
  });

  it("detaching a session already replaced (a takeover's old connection) leaves the new one alone", () => {
    const { sessions } = store();
    const old = sessions.open("c", true, 0).session;
    const current = sessions.open("c", true, 0).session;
    sessions.detach(old);
    expect(sessions.get("c")).toBe(current);
  });
});
