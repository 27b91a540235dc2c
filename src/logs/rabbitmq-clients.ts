import type { SignatureMatch } from "../signatures/matcher.js";
import { UNKNOWN } from "./open-incident.js";

/** How many connections' client ids are remembered (the oldest is forgotten first). */
const MAX_CONNECTIONS = 100_000;

/**
 * RabbitMQ names a connection, not its client, in most MQTT lines (`closing MQTT connection "<peer> -> <listener>"
 * (keepalive timeout)`); only `accepting MQTT connection <pid> (…, client id: <id>)` gives the client id. Both are
 * written by the connection's own Erlang process (measured on 3.10.8), whose pid starts every line: this ties the
 * later lines to the id. A process that accepted no CONNECT (a login timeout, a refused MQTT 5 CONNECT) is
 * `<unknown>`.
 */
export class RabbitmqClients {
  private readonly byPid = new Map<string, string>();

  /** Remembers an accepting line's id; gives any other line without an id its process' id. */
  name(match: SignatureMatch, pid: string | null): void {
    if (pid === null) return;
    const clientId = match.args.clientId;
    if (match.id === "client-connected" && clientId !== undefined) {
      this.byPid.delete(pid);
      this.byPid.set(pid, clientId);
      if (this.byPid.size > MAX_CONNECTIONS) this.byPid.delete(this.byPid.keys().next().value as string);
      return;
    }
    if (clientId === undefined) match.args.clientId = this.byPid.get(pid) ?? UNKNOWN;
  }
}
