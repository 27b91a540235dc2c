import { describe, expect, it } from "vitest";
import type { Broker } from "../../../src/broker/index.js";
import { scaledClock } from "../../../src/core/clock.js";
import { NANOMQ_LATEST, type NanomqVersion, type ProfileName } from "../../../src/core/profile.js";
import { broker, connectBytes, type RawSocket, raw, until } from "./helpers.js";
import { messageOf } from "./lines.js";

/** Time scale for these tests: NanoMQ's 25 s kick takes 0.5 s of real time. */
const SCALE = 50;
const CONNACK = "20020000";

async function connected(b: Broker, clientId: string, keepaliveS = 60): Promise<RawSocket> {
  const s = await raw(b);
  const before = s.received().length;
  s.socket.write(connectBytes(clientId, keepaliveS));
  await until(() => s.received().length >= before + 4, 5000, "CONNACK");
  expect(
    s
      .received()
      .subarray(before, before + 4)
      .toString("hex"),
  ).toBe(CONNACK);
  return s;
}

/** The lifecycle incidents of docs/broker-facts.md "Sequences", each played on raw sockets; resolves once it is over. */
const INCIDENTS: Record<string, (b: Broker) => Promise<void>> = {
  kick: async (b) => {
    const s = await connected(b, "k", 2);
    await s.closed;
  },
  rst: async (b) => {
    const s = await connected(b, "r");
    s.socket.resetAndDestroy();
    await until(() => b.stats().connections === 0, 5000, "broker to see the reset");
  },
  fin: async (b) => {
    const s = await connected(b, "f");
    s.socket.end();
    await s.closed;
  },
  disconnect: async (b) => {
    const s = await connected(b, "d");
    s.socket.write(Buffer.from("e000", "hex"));
    await s.closed;
  },
  takeover: async (b) => {
    const first = await connected(b, "t");
    await connected(b, "t");
    await first.closed;
  },
  "no-connect": async (b) => {
    const s = await raw(b);
    await s.closed;
  },
};

type Expected = Record<keyof typeof INCIDENTS, (string | RegExp)[]>;

/**
 * As the real builds print them (test/integration/nanomq/fidelity.test.ts): 0.25.3 adds the collision line and a
 * `sleep aio error 7` after every close but a kick; 0.21.9 names the nego error (`rv: Timed out(5)`).
 */
const nanomq = (era: "0.21" | "0.25", kick: string, rv: (n: number) => string): Expected => {
  const sleep = era === "0.25" ? ["sleep aio error 7"] : [];
  return {
    kick: [kick, "nni aio recv error!! Object closed", rv(139)],
    rst: ["nni aio recv error!! Connection shutdown", rv(139), ...sleep],
    fin: ["nni aio recv error!! Connection shutdown", rv(139), ...sleep],
    disconnect: [...sleep],
    takeover: [
      ...(era === "0.25" ? ["Client ID collision or set ID failed!"] : []),
      "nni aio recv error!! Object closed",
      rv(139),
      ...sleep,
    ],
    "no-connect": [
      "nego aio error: Timed out",
      era === "0.25" ? "connect nego error rv:(5)" : "connect nego error rv: Timed out(5)",
    ],
  };
};

const CASES: [string, ProfileName, NanomqVersion, Expected][] = [
  [
    "nanomq latest",
    "nanomq",
    NANOMQ_LATEST,
    nanomq(
      "0.25",
      "Warning: close pipe 1 & kick client due to KeepAlive timeout!",
      (n) => `tcptran_pipe_recv_cb: recv_error rv: ${n}`,
    ),
  ],
  [
    "nanomq 0.21",
    "nanomq",
    [0, 21, 0],
    nanomq(
      "0.21",
      "Warning: close pipe & kick client due to KeepAlive timeout!",
      (n) => `tcptran_pipe_recv_cb: parse error rv: ${n}`,
    ),
  ],
  [
    "mosquitto",
    "mosquitto",
    NANOMQ_LATEST,
    {
      kick: ["Client k has exceeded timeout, disconnecting."],
      rst: ["Client r closed its connection."],
      fin: ["Client f closed its connection."],
      disconnect: ["Received DISCONNECT from d", "Client d disconnected."],
      takeover: ["Client t already connected, closing old connection."],
      "no-connect": ["Client <unknown> has exceeded timeout, disconnecting."],
    },
  ],
  [
    "spec",
    "spec",
    NANOMQ_LATEST,
    {
      kick: [/^client k kicked: nothing received for \d+ ms, limit 3000 ms \[MQTT-3\.1\.2-24\]$/],
      rst: ["client r closed the connection without DISCONNECT"],
      fin: ["client f closed the connection without DISCONNECT"],
      disconnect: ["client d sent DISCONNECT"],
      takeover: ["client t taken over by a new connection [MQTT-3.1.4-2]"],
      "no-connect": [/^connection from 127\.0\.0\.1:\d+ sent no CONNECT in time, closed$/],
    },
  ],
];

/** The connect/online/offline lines are checked on their own below; these are the incident lines. */
const LIFECYCLE_INFO = new Set(["client-connected", "client-offline"]);

describe.each(CASES)("%s: lifecycle sequences", (_name, profile, nanomqVersion, expected) => {
  it.each(Object.keys(INCIDENTS))("%s", async (incident) => {
    const b = await broker({ profile, nanomqVersion, clock: scaledClock(SCALE) });
    let closes = 0;
    b.on("trace", (e) => {
      if (e.type === "close") closes++;
    });
    await INCIDENTS[incident]?.(b);
    // the broker writes a connection's lines as it closes it, then traces the close
    await until(() => closes >= 1, 5000, "the broker's close");
    const messages = b
      .logLines()
      .filter((l) => !LIFECYCLE_INFO.has(l.signature ?? ""))
      .map((l) => messageOf(profile, l.line));
    const want = expected[incident] ?? [];
    expect(messages).toEqual(want.map((w) => (typeof w === "string" ? w : expect.stringMatching(w))));
    expect(b.stats().internalErrors).toBe(0);
  });
});

describe("connect and leave lines", () => {
  it("nanomq latest: online, then the kick line, offline (as 0.25.3 prints it), then the recv error", async () => {
    const b = await broker({ profile: "nanomq", clock: scaledClock(SCALE) });
    await INCIDENTS.kick?.(b);
    expect(b.logLines().map((l) => [l.level, l.signature, messageOf("nanomq", l.line)])).toEqual([
      ["WARN", "client-connected", "k online!"],
      ["WARN", "keepalive-timeout", "Warning: close pipe 1 & kick client due to KeepAlive timeout!"],
      ["WARN", "client-offline", "k offline!"],
      ["WARN", "recv-error", "nni aio recv error!! Object closed"],
      ["WARN", "parse-error", "tcptran_pipe_recv_cb: recv_error rv: 139"],
    ]);
    expect(b.logLines().every((l) => l.clientId === "k")).toBe(true);
  });

  it("nanomq 0.21.9: no online/offline lines at all (the real 0.21.9 has none)", async () => {
    const b = await broker({ profile: "nanomq", nanomqVersion: [0, 21, 9], clock: scaledClock(SCALE) });
    await INCIDENTS.kick?.(b);
    expect(b.logLines().map((l) => l.signature)).toEqual(["keepalive-timeout", "recv-error", "parse-error"]);
  });

  it("mosquitto: New connection, then New client connected with p/c/k", async () => {
    const b = await broker({ profile: "mosquitto" });
    await connected(b, "m", 30);
    expect(b.logLines().map((l) => messageOf("mosquitto", l.line))).toEqual([
      expect.stringMatching(new RegExp(`^New connection from 127\\.0\\.0\\.1:\\d+ on port ${b.port}\\.$`)),
      expect.stringMatching(/^New client connected from 127\.0\.0\.1:\d+ as m \(p2, c1, k30\)\.$/),
    ]);
  });
});

describe("keepLogLines: false (`mqdiag broker`)", () => {
  it("keeps no line, yet a listener gets the same lines as a kept log's", async () => {
    const kept = await broker({ profile: "mosquitto", clock: scaledClock(SCALE) });
    const streamed = await broker({ profile: "mosquitto", clock: scaledClock(SCALE), keepLogLines: false });
    const heard: string[] = [];
    streamed.on("log", (l) => heard.push(messageOf("mosquitto", l.line)));
    for (const b of [kept, streamed]) await INCIDENTS.kick?.(b);
    expect(streamed.logLines()).toEqual([]);
    // the two brokers differ only in their ports
    const ports = (text: string) =>
      text.replace(/:\d+ on port \d+/, ":P on port B").replace(/:\d+ as/, ":P as");
    expect(heard.map(ports)).toEqual(kept.logLines().map((l) => ports(messageOf("mosquitto", l.line))));
    expect(heard).toHaveLength(3);
  });
});
