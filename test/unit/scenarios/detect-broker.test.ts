import { describe, expect, it } from "vitest";
import { DEFAULT_PROFILE_OPTIONS, NANOMQ_LATEST } from "../../../src/core/profile.js";
import { BrokerDetector, detectedProfile, nanomqEraText } from "../../../src/scenarios/detect-broker.js";

const P = "2026-12-01 21:42:37 [6109] WARN  /src/nng/src/sp/transport/mqtt/broker_tcp.c:711:";
/** Lines as the real builds write them to a file log (no function name). */
const NANOMQ_0_21_9 = [
  `${P} nni aio recv error!! Object closed`,
  `${P} tcptran_pipe_recv_cb: parse error rv: 139`,
];
const NANOMQ_0_25_3 = [
  `${P} mqdiag-x online!`,
  "2026-12-01 21:42:37 [6109] WARN  /src/nng/src/sp/protocol/mqtt/nmq_mqtt.c:249: Warning: close pipe 3752407863 & kick client due to KeepAlive timeout!",
  `${P} tcptran_pipe_recv_cb: recv_error rv: 139`,
];
const MOSQUITTO = [
  "1764625357: New client connected from 127.0.0.1:40000 as mqdiag-reachability (p2, c1, k30).",
  "1764625358: Client mqdiag-tcp-rst-rst-1 closed its connection.",
];

function detect(lines: string[]) {
  const d = new BrokerDetector();
  for (const l of lines) d.add(l);
  return d.result();
}

describe("telling the broker from its log", () => {
  it("nothing the catalogue knows: undecided, and the default profile stands", () => {
    expect(detect(["", "some other program's line", "2026-12-01 [1] INFO hello"])).toBeUndefined();
    expect(detectedProfile(DEFAULT_PROFILE_OPTIONS, undefined)).toEqual(DEFAULT_PROFILE_OPTIONS);
  });

  it("mosquitto's lines: mosquitto, with the lines that told", () => {
    const d = detect(MOSQUITTO);
    expect(d).toEqual({ profile: "mosquitto", evidence: MOSQUITTO });
    expect(detectedProfile(DEFAULT_PROFILE_OPTIONS, d).profile).toBe("mosquitto");
  });

  it("`parse error rv:` is the wording of 0.21.9 and older", () => {
    const d = detect(NANOMQ_0_21_9);
    expect(d).toMatchObject({ profile: "nanomq", nanomqUntil: [0, 21, 9] });
    expect(d?.nanomqSince).toBeUndefined();
    expect(d?.evidence[0]).toContain("parse error rv: 139");
    expect(detectedProfile(DEFAULT_PROFILE_OPTIONS, d).nanomqVersion).toEqual([0, 21, 9]);
    expect(nanomqEraText(d ?? { profile: "nanomq", evidence: [] })).toBe("0.21.9 or older");
  });

  it("`close pipe <id> &` narrows to 0.25 and newer, the newest wording", () => {
    const d = detect(NANOMQ_0_25_3);
    expect(d).toMatchObject({ profile: "nanomq" });
    expect(d?.nanomqSince?.[1]).toBeGreaterThanOrEqual(25);
    expect(d?.nanomqUntil).toBeUndefined();
    expect(detectedProfile(DEFAULT_PROFILE_OPTIONS, d).nanomqVersion).toEqual(NANOMQ_LATEST);
  });

  it("a line that fits every era votes NanoMQ and leaves the era open", () => {
    const d = detect([NANOMQ_0_21_9[0] as string]);
    expect(d).toEqual({ profile: "nanomq", evidence: [NANOMQ_0_21_9[0]] });
  });

  it("contradicting eras (an upgrade inside the log) keep NanoMQ and drop the era", () => {
    const d = detect([...NANOMQ_0_21_9, ...NANOMQ_0_25_3]);
    expect(d?.profile).toBe("nanomq");
    expect(d?.nanomqSince).toBeUndefined();
    expect(d?.nanomqUntil).toBeUndefined();
  });

  it("the dialect with more lines wins; a tie decides nothing", () => {
    expect(detect([...MOSQUITTO, ...NANOMQ_0_25_3])?.profile).toBe("nanomq");
    expect(detect([MOSQUITTO[0] as string, NANOMQ_0_21_9[0] as string])).toBeUndefined();
  });
});
