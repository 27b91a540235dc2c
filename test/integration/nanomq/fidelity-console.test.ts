import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Broker, startBroker } from "../../../src/broker/index.js";
import { type Nanomq, nanomqAvailable, startNanomq } from "../../helpers/nanomq.js";
import { rawConnect, rawConnectMqtt } from "../../helpers/raw-client.js";
import { normaliseMessage } from "./fidelity-lines.js";

/**
 * The console format the embedded broker prints (`mqdiag broker`) against the real 0.25.3's console:
 * `YYYY-mm-dd HH:MM:SS [tid] LEVEL <path>:<line> <function>: <message>`, and the same function name beside the
 * same message. (The file log, which the fidelity suite reads, is the same without the function.)
 */
const CONSOLE =
  /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \[\d+\] (?<level>[A-Z]+) +\S+\.c:\d+ (?<func>\w+): (?<msg>.*)$/;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.runIf(nanomqAvailable("0.25.3"))("console lines: the profile's format is the real 0.25.3's", () => {
  let real: Nanomq;
  let profile: Broker;
  beforeAll(async () => {
    [real, profile] = await Promise.all([
      startNanomq("0.25.3", { to: ["console"] }),
      startBroker({ profile: "nanomq", nanomqVersion: [0, 25, 3], port: 0, retryIntervalMs: 1000 }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([real?.stop(), profile?.close()]);
  });

  /** `LEVEL function: message` of each console line after `mark`, sorted (threads interleave). */
  function lines(all: string[]): string[] {
    return all
      .flatMap((l) => {
        const m = CONSOLE.exec(l);
        return m?.groups
          ? [`${m.groups.level} ${m.groups.func}: ${normaliseMessage(m.groups.msg ?? "")}`]
          : [];
      })
      .sort();
  }

  it("a FIN after CONNECT, a FIN before CONNECT and garbage first: the same lines, functions included", async () => {
    const run = async (port: number) => {
      const c = await rawConnectMqtt(port, { clientId: "console-fin", keepalive: 60 });
      await c.end();
      await sleep(100);
      await (await rawConnect(port)).end();
      await sleep(100);
      const g = await rawConnect(port);
      g.send(Buffer.from("GET / HTTP/1.1\r\n\r\n"));
      await g.waitForEnd(1000);
      g.destroy();
    };
    // The real console can merge two threads' lines mid-line (a documented NanoMQ trait, not a difference): such a
    // run is done again, at most three times, and only a run without a merge is compared.
    let fromReal: string[] = [];
    let fromProfile: string[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const realMark = real.output().length;
      const profileMark = profile.logLines().length;
      await Promise.all([run(real.port), run(profile.port)]);
      await sleep(300);
      const raw = real.output().slice(realMark).split("\n");
      fromReal = lines(raw);
      fromProfile = lines(
        profile
          .logLines()
          .slice(profileMark)
          .map((l) => l.line),
      );
      const merged = raw.some((l) => /.\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \[\d+\]/.test(l));
      if (!merged) break;
    }
    expect(fromReal.length).toBe(9);
    expect(fromProfile).toEqual(fromReal);
  });
});
