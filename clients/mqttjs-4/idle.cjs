/*
 * An idle MQTT.js 4 client for mqdiag (Debian's node-mqtt: /usr/share/nodejs/mqtt, or $MQDIAG_MQTTJS4), run by
 * node with NODE_PATH=/usr/share/nodejs for its dependencies: connects (MQTT 3.1.1, clean session, the given client
 * id and keepalive, no reconnect) and sends nothing. Prints "connected" on the CONNACK and "lost <reason>" when the
 * connection ends, then exits 3. `idle.cjs --version` prints the library's version.
 * With protocol 5: MQTT 5.
 * usage: node idle.cjs <host> <port> <client-id> <keepalive-s> [<loop-ms>, ignored] [<protocol 4|5>]
 */
const dir = process.env.MQDIAG_MQTTJS4 || "/usr/share/nodejs/mqtt";
if (process.argv[2] === "--version") {
  process.stdout.write(`${require(`${dir}/package.json`).version}\n`);
  process.exit(0);
}
const [host, port, clientId, keepalive, , protocol] = process.argv.slice(2);
if (keepalive === undefined) {
  process.stderr.write("usage: node idle.cjs <host> <port> <client-id> <keepalive-s> [<loop-ms>]\n");
  process.exit(2);
}
const mqtt = require(dir);
const client = mqtt.connect({
  host,
  port: Number(port),
  clientId,
  keepalive: Number(keepalive),
  protocolVersion: protocol === "5" ? 5 : 4,
  reconnectPeriod: 0,
});
let lost = null;
client.on("connect", () => process.stdout.write("connected\n"));
client.on("error", (err) => {
  lost = lost || err.message;
});
client.on("close", () => {
  process.stdout.write(`lost ${lost || "connection closed"}\n`, () => process.exit(3));
});
