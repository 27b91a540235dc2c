import { UnreachableError } from "../../core/errors.js";
import { round } from "../../core/round.js";
import {
  type ConnectOutcome,
  connackCode,
  openSession,
  type ProtocolVersion,
} from "../../mqtt-wire/raw-session.js";
import { ConnectFailure } from "../../mqtt-wire/transport.js";
import { connectParams, transportOptions } from "../connect-params.js";
import type { ConnectFinding, VersionOutcome, VersionsTried } from "../findings.js";
import type { ProbeOptions } from "../types.js";

/** The keepalive the connect check requests, to see whether the broker imposes its own (Server Keep Alive). */
export const CONNECT_KEEPALIVE_S = 60;

const VERSION_NAME: Record<ProtocolVersion, "5" | "3.1.1"> = { 5: "5", 4: "3.1.1" };

/** CONNACK codes that mean "these credentials / this client may not connect": not a broker fault, exit 3. */
const REFUSAL_NAMES: Record<number, string> = {
  1: "unacceptable protocol version",
  2: "identifier rejected",
  3: "server unavailable",
  4: "bad user name or password",
  5: "not authorized",
  128: "unspecified error",
  132: "unsupported protocol version",
  133: "client identifier not valid",
  134: "bad user name or password",
  135: "not authorized",
  136: "server unavailable",
  137: "server busy",
  138: "banned",
};

export interface ConnectResult {
  finding: ConnectFinding;
  version: ProtocolVersion | null;
}

type Attempt = { version: ProtocolVersion; outcome: ConnectOutcome; tcpMs: number; handshakeMs: number };

/**
 * `connect`: TCP (+TLS/WebSocket) and CONNACK times, the return/reason code, which protocol versions the broker
 * accepts, and its CONNACK properties incl. Server Keep Alive [MQTT-3.1.2-21] (5.0).
 */
export async function checkConnect(options: ProbeOptions): Promise<ConnectResult> {
  const order: ProtocolVersion[] =
    options.mqttVersion === "5" ? [5] : options.mqttVersion === "3.1.1" ? [4] : [5, 4];
  const attempts: Attempt[] = [];
  for (const version of order) {
    const attempt = await tryVersion(options, version, attempts.length);
    attempts.push(attempt);
  }
  const versions: VersionsTried = {};
  for (const a of attempts) versions[VERSION_NAME[a.version]] = describe(a.outcome);
  const accepted = attempts.find((a) => a.outcome.kind === "connack" && connackCode(a.outcome.connack) === 0);
  if (accepted && accepted.outcome.kind === "connack") {
    const props = accepted.outcome.connack.properties ?? {};
    const serverKeepAlive = props.serverKeepAlive;
    return {
      version: accepted.version,
      finding: {
        id: "connect",
        status: "pass",
        code: "connected",
        specRef: accepted.version === 5 ? "[MQTT-3.1.2-21] (5.0)" : null,
        measured: {
          mqttVersion: VERSION_NAME[accepted.version],
          versions,
          tcpMs: round(accepted.tcpMs),
          handshakeMs: round(accepted.handshakeMs),
          connackMs: round(accepted.outcome.connackMs),
          returnCode: 0,
          requestedKeepalive: CONNECT_KEEPALIVE_S,
          serverKeepAlive: serverKeepAlive ?? null,
          keepaliveOverridden: serverKeepAlive !== undefined && serverKeepAlive !== CONNECT_KEEPALIVE_S,
          properties: props,
        },
      },
    };
  }
  const refused = attempts.filter((a) => a.outcome.kind === "connack");
  if (refused.length === attempts.length) {
    const codes = refused.map((a) =>
      a.outcome.kind === "connack" ? connackCode(a.outcome.connack) : Number.NaN,
    );
    const last = codes[codes.length - 1] ?? 0;
    throw new UnreachableError(
      `the broker refused the connection: CONNACK ${REFUSAL_NAMES[last] ?? "refused"} (code ${last})`,
    );
  }
  const first = attempts.find((a) => a.outcome.kind !== "connack") ?? attempts[0];
  const code =
    first?.outcome.kind === "garbage"
      ? "not-mqtt"
      : first?.outcome.kind === "closed"
        ? "closed-before-connack"
        : "no-connack";
  return {
    version: null,
    finding: {
      id: "connect",
      status: "error",
      code,
      specRef: null,
      measured: { versions, timeoutMs: options.timeoutMs, tcpMs: round(first?.tcpMs ?? 0) },
    },
  };
}

async function tryVersion(options: ProbeOptions, version: ProtocolVersion, n: number): Promise<Attempt> {
  try {
    const clientId = `${options.clientIdPrefix}${options.runId}-connect-${n}`;
    const { session, outcome } = await openSession(
      options.target,
      transportOptions(options),
      connectParams(options, version, clientId, CONNECT_KEEPALIVE_S),
    );
    const attempt = { version, outcome, tcpMs: session.wire.tcpMs, handshakeMs: session.wire.handshakeMs };
    if (outcome.kind === "connack" && connackCode(outcome.connack) === 0) {
      session.send({ cmd: "disconnect" }, version);
      session.wire.end();
      await session.waitClosed(Math.min(options.timeoutMs, 500));
    }
    session.destroy();
    return attempt;
  } catch (err) {
    if (err instanceof ConnectFailure) throw new UnreachableError(err.message);
    throw err;
  }
}

function describe(outcome: ConnectOutcome): VersionOutcome {
  switch (outcome.kind) {
    case "connack":
      return { accepted: connackCode(outcome.connack) === 0, code: connackCode(outcome.connack) };
    case "closed":
      return { accepted: false, closed: outcome.close.kind };
    case "garbage":
      return { accepted: false, garbage: true };
    case "timeout":
      return { accepted: false, timeout: true };
  }
}
