import type { ConnectInfo } from "./kick-window.js";
import type { LogTime } from "./timestamp.js";

/** Clients remembered at most (bounded memory on a log of millions of connections): the oldest go first. */
const MAX_CLIENTS = 100_000;

const PAYLOAD_ANCHOR = '"status":"online"';
const PAYLOAD_KEEPALIVE = /"keepalive":(\d+)/;
const PAYLOAD_CLIENT = /"client_id":"((?:[^"\\]|\\.)*)"/;

/** The literal of a debug log's `$SYS` client_status online payload (the byte reader must decode its lines). */
export const CONNECT_PAYLOAD_ANCHOR = PAYLOAD_ANCHOR;

/**
 * When each client last connected, as a NanoMQ 0.25 log says it: its `<id> online!` line (WARN), and at `debug` the
 * `$SYS/brokers/client_status` payload NanoMQ publishes right after (`payload: [{"status":"online", …,
 * "keepalive":2, …, "client_id":"<id>", …}]`, measured on 0.25.3), which adds its keepalive.
 */
export class ConnectLog {
  private readonly clients = new Map<string, ConnectInfo>();

  online(clientId: string, at: LogTime | null): void {
    if (!at) return;
    this.set(clientId, { at, keepaliveS: null });
  }

  /** A debug line: the online payload's keepalive for its client (true when the line was one). */
  payload(text: string, at: LogTime | null): boolean {
    if (!text.includes(PAYLOAD_ANCHOR)) return false;
    const ka = PAYLOAD_KEEPALIVE.exec(text);
    const id = PAYLOAD_CLIENT.exec(text);
    if (!ka || !id || !at) return true;
    const clientId = unescapeJson(id[1] as string);
    const known = this.clients.get(clientId);
    // The payload follows its online line within the same second or the next.
    const base = known && Math.abs(known.at.ms - at.ms) <= 1000 ? known.at : at;
    this.set(clientId, { at: base, keepaliveS: Number(ka[1]) });
    return true;
  }

  get(clientId: string): ConnectInfo | undefined {
    return this.clients.get(clientId);
  }

  private set(clientId: string, info: ConnectInfo): void {
    this.clients.delete(clientId);
    this.clients.set(clientId, info);
    if (this.clients.size > MAX_CLIENTS) {
      const oldest = this.clients.keys().next().value;
      if (oldest !== undefined) this.clients.delete(oldest);
    }
  }
}

function unescapeJson(text: string): string {
  if (!text.includes("\\")) return text;
  try {
    return JSON.parse(`"${text}"`) as string;
  } catch {
    return text;
  }
}
