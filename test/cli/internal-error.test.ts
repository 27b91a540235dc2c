import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { runCli, spawnCli } from "../helpers/cli.js";
import { type RawClient, rawConnectMqtt } from "../helpers/raw-client.js";

/**
 * A bug in the embedded broker fails `scenario` and `broker` loudly: exit 70, "this is a bug", never a broker line.
 * src has no test hook to make the broker fail, so the bug is injected from outside through Node's own
 * NODE_OPTIONS: a preload (test/helpers/pingresp-bug.mjs) makes writing a PINGRESP throw, which fails the broker's
 * PINGREQ handler inside the broker's call stack.
 */
const BUG = fileURLToPath(new URL("../helpers/pingresp-bug.mjs", import.meta.url));
const env = { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import ${BUG}`.trim() };
const PINGREQ = Buffer.from([0xc0, 0x00]);

const children: ChildProcessWithoutNullStreams[] = [];
const clients: RawClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

describe("an internal error in the embedded broker, on the command line", () => {
  it("scenario: exits 70 with 'this is a bug', naming the client and the message, and prints no report", async () => {
    const r = await runCli(["scenario", "late-ping", "--profile", "spec", "--format", "json"], { env });
    expect(r.code).toBe(70);
    expect(r.stderr).toMatch(
      /^mqdiag: internal error: the embedded broker failed on mqdiag-late-ping-\S+: injected PINGRESP failure \(this is a bug; please report it\)\n$/,
    );
    expect(r.stdout).toBe("");
  });

  it("broker: stops at the bug, exits 70 with 'this is a bug', and prints no line for the failed client", async () => {
    const cli = spawnCli(["broker", "--port", "0"], { env });
    children.push(cli.child);
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no listening line; stderr: ${cli.stderr()}`)), 15_000);
      cli.child.stderr.on("data", () => {
        const m = /^listening on 127\.0\.0\.1:(\d+)$/m.exec(cli.stderr());
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
    });
    const client = await rawConnectMqtt(port, { clientId: "cli-victim", keepalive: 60 });
    clients.push(client);
    client.send(PINGREQ);
    expect(await cli.exited).toBe(70);
    expect(cli.stderr()).toContain(
      "mqdiag: internal error: the embedded broker failed on cli-victim: injected PINGRESP failure " +
        "(this is a bug; please report it)\n",
    );
    // the connect line came before the bug, and no line after it (no offline, close or rv line)
    expect(cli.stdout().trimEnd().split("\n")).toEqual([expect.stringMatching(/ cli-victim online!$/)]);
  });
});
