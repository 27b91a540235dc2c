/**
 * Real MQTT client libraries run as a scenario's or a measurement's subject: one idle client of the library,
 * connected with a given client id and keepalive, driven by its own loop (or by the application's loop every
 * `loopIntervalMs` for the libraries that need one). Which of them run depends on the machine: see `detect`.
 */

/** The libraries that can run here (ids as `mqdiag clients` names them). */
export const REAL_LIBRARY_IDS = [
  "mqttjs",
  "mqttjs-4",
  "mqtt-c",
  "paho-c",
  "paho-python",
  "libmosquitto",
] as const;
export type RealLibraryId = (typeof REAL_LIBRARY_IDS)[number];

export interface RealClientOptions {
  host: string;
  port: number;
  clientId: string;
  keepaliveS: number;
  /** How often the application drives the library (mqtt_sync, loop()); ignored by libraries with their own thread. */
  loopIntervalMs: number;
  /** MQTT 3.1.1 (4, the default) or MQTT 5 (5: clean start; MQTT-C cannot and rejects it). */
  protocolVersion?: 4 | 5;
}

/** How a real client ended. `lost` is the library's own reason when it said one ("Keepalive timeout", …). */
export interface RealClientExit {
  /** The process's exit status (null when a signal ended it); in-process clients: 3 lost, 0 stopped. */
  code: number | null;
  signal: string | null;
  lost: string | null;
}

/** A running real client. */
export interface RealClient {
  /** The process running it (this process for an in-process library). */
  readonly pid: number;
  /** Resolves when the client connected (CONNACK), false when it ended before. */
  readonly connected: Promise<boolean>;
  /** Resolves once the client has ended, whether it gave up, lost its connection or was stopped. */
  readonly exited: Promise<RealClientExit>;
  /** Ends it (no DISCONNECT: the process is killed, the in-process client destroyed) and waits for the end. */
  stop(): Promise<RealClientExit>;
}

export type Availability = { available: true; version: string } | { available: false; reason: string };

export interface RealLibrary {
  readonly id: RealLibraryId;
  /** What runs: "MQTT-C 1.1.6 (an idle program calling mqtt_sync)". */
  readonly describe: string;
  /** Whether `loopIntervalMs` drives it (the application's loop), or the library has its own timer or thread. */
  readonly drivenByLoop: boolean;
  /** The smallest keepalive the library accepts (libmosquitto refuses < 5 s). */
  readonly minKeepaliveS: number;
  /** Whether it runs here and which version; builds the C program on first use (cached). Never throws. */
  detect(): Promise<Availability>;
  /** Starts one client; rejects when the library is not available. */
  start(options: RealClientOptions): Promise<RealClient>;
}
