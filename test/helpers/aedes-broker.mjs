// A real aedes broker in its own process, for the tests that compare mqdiag with it (test/helpers/aedes.ts).
// Usage: node aedes-broker.mjs [port]. Listens on 127.0.0.1 (port 0 = a free one) with aedes' defaults, prints
// `listening <port> <aedes version>` once up, then one line per event aedes emits about a client (it has no log of its own):
// `<ms since start> <event> <client id> <error message>`.
import net from "node:net";
import { Aedes } from "aedes";

const broker = await Aedes.createBroker();
const server = net.createServer(broker.handle);
const t0 = performance.now();
const say = (event, client, err) =>
  process.stdout.write(
    `${(performance.now() - t0).toFixed(1)} ${event} ${client?.id ?? "-"}${err ? ` ${err.message}` : ""}\n`,
  );
broker.on("client", (c) => say("client", c));
broker.on("clientReady", (c) => say("clientReady", c));
broker.on("clientDisconnect", (c) => say("clientDisconnect", c));
broker.on("keepaliveTimeout", (c) => say("keepaliveTimeout", c));
broker.on("clientError", (c, err) => say("clientError", c, err));
broker.on("connectionError", (c, err) => say("connectionError", c, err));
server.listen(Number(process.argv[2] ?? 0), "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(
    `listening ${typeof address === "object" && address ? address.port : 0} ${broker.version}\n`,
  );
});
const stop = () => {
  server.close();
  broker.close(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
