import { isIP } from "node:net";
import { UsageError } from "./errors.js";

/** Where a probe (or a scenario's external broker) connects: parsed from `host:port`, `[::1]:1883` or a URL. */
export const TARGET_PROTOCOLS = ["mqtt", "mqtts", "ws", "wss"] as const;
export type TargetProtocol = (typeof TARGET_PROTOCOLS)[number];

export interface Target {
  protocol: TargetProtocol;
  /** Host name or IP address; IPv6 without brackets. */
  host: string;
  port: number;
  /** WebSocket path ("/mqtt" unless the URL says otherwise); "" for mqtt/mqtts. */
  path: string;
}

export const DEFAULT_PORTS: Record<TargetProtocol, number> = { mqtt: 1883, mqtts: 8883, ws: 80, wss: 443 };

const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62})(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62}))*\.?$/;

/**
 * Parses a broker address. Malformed input throws a UsageError whose message never repeats credentials
 * (a URL's user:password part is refused, not echoed).
 */
export function parseTarget(text: string): Target {
  const input = text.trim();
  if (input === "")
    throw new UsageError("broker: expected host:port, [v6]:port or an mqtt:// URL, got nothing");
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(input);
  // "user:password@host" would otherwise be echoed back in a port or host error: refuse it without repeating it.
  if (!scheme && input.includes("@")) throw credentialsInTarget();
  if (scheme) return parseUrl(input, (scheme[1] ?? "").toLowerCase());
  return parseHostPort(input);
}

function parseUrl(input: string, scheme: string): Target {
  if (!(TARGET_PROTOCOLS as readonly string[]).includes(scheme)) {
    throw new UsageError(`broker: unsupported scheme "${scheme}://" (use mqtt, mqtts, ws or wss)`);
  }
  const protocol = scheme as TargetProtocol;
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new UsageError(`broker: not a valid URL: ${redactUserInfo(input)}`);
  }
  if (url.username !== "" || url.password !== "") throw credentialsInTarget();
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  checkHost(host, input);
  const port = url.port === "" ? DEFAULT_PORTS[protocol] : Number(url.port);
  checkPort(port, url.port);
  const isWs = protocol === "ws" || protocol === "wss";
  if (!isWs && url.pathname !== "" && url.pathname !== "/") {
    throw new UsageError(`broker: an ${protocol}:// URL takes no path, got "${url.pathname}"`);
  }
  const path = isWs
    ? (url.pathname === "" || url.pathname === "/" ? "/mqtt" : url.pathname) + url.search
    : "";
  return { protocol, host, port, path };
}

function parseHostPort(input: string): Target {
  let host: string;
  let portText: string | undefined;
  const v6 = /^\[([^\]]+)\](?::(.*))?$/.exec(input);
  if (v6) {
    host = v6[1] ?? "";
    portText = v6[2];
    if (isIP(host) !== 6) throw new UsageError(`broker: "${host}" in brackets is not an IPv6 address`);
  } else if (isIP(input) === 6) {
    host = input;
  } else {
    const parts = input.split(":");
    if (parts.length > 2) throw new UsageError(`broker: write an IPv6 address in brackets, like [::1]:1883`);
    host = parts[0] ?? "";
    portText = parts[1];
    checkHost(host, input);
  }
  const port = portText === undefined ? DEFAULT_PORTS.mqtt : Number(portText);
  checkPort(port, portText ?? "");
  return { protocol: "mqtt", host, port, path: "" };
}

function checkHost(host: string, input: string): void {
  if (host === "" || (isIP(host) === 0 && !HOST_NAME.test(host))) {
    throw new UsageError(`broker: "${redactUserInfo(input)}" has no valid host name`);
  }
}

function checkPort(port: number, text: string): void {
  if (!/^\d*$/.test(text) || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new UsageError(`broker: expected a port from 1 to 65535, got "${text}"`);
  }
}

const credentialsInTarget = () =>
  new UsageError(
    "broker: put credentials in --username and --password (or MQDIAG_PASSWORD), not the address",
  );

/** Drops everything between "//" and the LAST "@": a password may itself contain "/" or "@". */
function redactUserInfo(text: string): string {
  return text.replace(/\/\/.*@/, "//");
}

/** The address as a user would type it back ("127.0.0.1:1883", "[::1]:1883", "wss://host:443/mqtt"). */
export function formatTarget(target: Target): string {
  if (target.protocol === "mqtt") return hostPort(target);
  return `${target.protocol}://${hostPort(target)}${target.path}`;
}

/** "host:port", with an IPv6 address in brackets ("[::1]:1883"). */
export function hostPort(target: Pick<Target, "host" | "port">): string {
  const host = isIP(target.host) === 6 ? `[${target.host}]` : target.host;
  return `${host}:${target.port}`;
}
