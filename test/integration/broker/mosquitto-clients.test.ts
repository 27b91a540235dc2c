import { execFile, execFileSync, spawn } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { mosquittoAvailable } from "../../helpers/mosquitto.js";
import { broker, client, inbox, until } from "./helpers.js";

const run = promisify(execFile);

/** mosquitto-clients come with mosquitto in CI (.ci/run); there a missing one fails instead of skipping. */
function available(): boolean {
  if (!mosquittoAvailable()) return false;
  try {
    execFileSync("sh", ["-c", "command -v mosquitto_pub && command -v mosquitto_sub"], { stdio: "ignore" });
    return true;
  } catch {
    if (process.env.CI)
      throw new Error("mosquitto_pub/mosquitto_sub are not installed (apt-get install mosquitto-clients)");
    return false;
  }
}

describe.runIf(available())("the real mosquitto_pub / mosquitto_sub against the embedded broker", () => {
  it("mosquitto_sub receives a retained message on subscribe", async () => {
    const b = await broker();
    const port = String(b.port);
    await run("mosquitto_pub", [
      "-h",
      "127.0.0.1",
      "-p",
      port,
      "-t",
      "cli/retained",
      "-m",
      "kept",
      "-r",
      "-q",
      "1",
    ]);
    const { stdout } = await run(
      "mosquitto_sub",
      [
        "-h",
        "127.0.0.1",
        "-p",
        port,
        "-t",
        "cli/#",
        "-q",
        "1",
        "-C",
        "1",
        "-v",
        "-W",
        "5",
        "-F",
        "%t %r %q %p",
      ],
      { timeout: 10_000 },
    );
    expect(stdout.trim()).toBe("cli/retained 1 1 kept");
  });

  it("QoS 1 from mosquitto_pub to an MQTT.js subscriber, and from MQTT.js to mosquitto_sub", async () => {
    const b = await broker();
    const port = String(b.port);
    const js = await client(b, { clientId: "js" });
    const got = inbox(js);
    await js.subscribeAsync("from/cli", { qos: 1 });
    await run("mosquitto_pub", ["-h", "127.0.0.1", "-p", port, "-t", "from/cli", "-m", "hello", "-q", "1"]);
    await until(() => got.length === 1, 5000, "message from mosquitto_pub");
    expect(got[0]).toEqual({ topic: "from/cli", payload: "hello", qos: 1, retain: false });

    let subscribed = false;
    b.on("trace", (e) => {
      if (e.type === "packet-out" && e.packet === "suback" && e.clientId !== "js") subscribed = true;
    });
    const sub = spawn("mosquitto_sub", [
      "-h",
      "127.0.0.1",
      "-p",
      port,
      "-t",
      "to/cli",
      "-q",
      "1",
      "-C",
      "1",
      "-F",
      "%t %q %p",
      "-W",
      "10",
    ]);
    let out = "";
    sub.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => sub.on("close", resolve));
    try {
      // the broker's SUBACK to mosquitto_sub: its subscription is in place
      await until(() => subscribed, 5000, "mosquitto_sub's subscription");
      await js.publishAsync("to/cli", "back", { qos: 1 });
      expect(await exited).toBe(0);
      expect(out.trim()).toBe("to/cli 1 back");
    } finally {
      sub.kill();
    }
  });
});
