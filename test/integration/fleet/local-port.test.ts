import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { realClock } from "../../../src/core/clock.js";
import { openRaw } from "../../../src/fleet/open-raw.js";

/** A fleet client's record names its TCP connection by its local port: the port the server sees it come from. */
const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

describe("ClientRecord.localPort", () => {
  it("is the source port the server sees, once the connection is open", async () => {
    const server = net.createServer();
    const accepted = new Promise<net.Socket>((resolve) => server.once("connection", resolve));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    closers.push(() => server.close());
    const port = (server.address() as net.AddressInfo).port;

    const client = await openRaw(
      { clock: realClock(), target: { host: "127.0.0.1", port }, clientId: "local-port", keepaliveS: 10 },
      "no-connect",
      { connect: false },
    );
    closers.push(() => client.destroy());
    const socket = await accepted;
    closers.push(() => socket.destroy());

    expect(client.record.localPort).toBe(socket.remotePort);
  });
});
