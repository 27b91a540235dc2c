/** Broker profiles: a keepalive model plus a log dialect (see CONTRIBUTING.md, "The embedded broker"). */
export const PROFILES = ["nanomq", "mosquitto", "spec"] as const;
export type ProfileName = (typeof PROFILES)[number];

/** Which wording era of NanoMQ's log lines to use; "latest" or a version like "0.21" / "0.24.5". */
export type NanomqVersion = readonly [number, number, number];

export const NANOMQ_LATEST: NanomqVersion = [999, 0, 0];
/**
 * The newest NanoMQ whose wording and reactions mqdiag knows (measured on its build; the catalogue's eras end
 * there): --nanomq-version takes versions up to its minor (0.25.x) and refuses later ones.
 */
export const NANOMQ_NEWEST_KNOWN: NanomqVersion = [0, 25, 3];

export interface ProfileOptions {
  profile: ProfileName;
  /** NanoMQ `mqtt.retry_interval` (Q), milliseconds. Default 10 s. */
  retryIntervalMs: number;
  /** NanoMQ `mqtt.keepalive_multiplier` (M). Default 1.25 (the shipped nanomq.conf). */
  keepaliveMultiplier: number;
  nanomqVersion: NanomqVersion;
  /**
   * A SIMULATED fault of the nanomq profile's per-connection keepalive tick (`--tick-jitter`, `--tick-drift`);
   * absent = the tick as the real NanoMQ runs it. No real broker has this knob: see TickFault.
   */
  tickFault?: TickFault;
  /**
   * A rule that replaces the keepalive MQTT 5 clients ask for (their CONNACK carries Server Keep Alive,
   * §3.2.2.3.14); absent = every client keeps its own, as NanoMQ always does. Applied in src/keepalive/server-keepalive.ts.
   */
  serverKeepalive?: ServerKeepalive;
}

/**
 * How a broker overrides a client's keepalive. `impose`: every MQTT 5 client is told `seconds` whatever it asked
 * (`--server-keepalive`, EMQX's `mqtt.server_keepalive`). `cap`: mosquitto's `max_keepalive` — an MQTT 5 client
 * asking more than `seconds`, or 0, is told `seconds`; the others keep theirs (`--max-keepalive`).
 */
export type ServerKeepalive = { rule: "impose"; seconds: number } | { rule: "cap"; seconds: number };

/**
 * A simulated fault of NanoMQ's per-connection timer, as a coarse OS timer or a stalled event loop would make it
 * (the write-up's "broker timers" cause: nng's timers on Windows and Android). A model, not a measurement: the real
 * NanoMQ has no such setting, so nothing here was checked against a real broker.
 *
 * nng re-arms the timer from inside its callback (`nni_sleep_aio(qos_duration * 1000, …)` sets its expiry to
 * `nni_clock() + ms`), so a late tick delays every later one: tick k fires at
 * connect + 1.5·Q′ + k·Q′ + (U₀ + … + U_k), with Q′ = Q·(1 + drift) and each U_i uniform in [0, jitterMs).
 * The counter still compares n·Q (the configured Q) with KA·M.
 */
export interface TickFault {
  /** Each tick fires late by a uniform draw from [0, jitterMs), from a PRNG seeded with `seed`. 0 = none. */
  jitterMs: number;
  /** Every wait (1.5·Q first, then Q) lasts (1 + drift) times as long: 0.05 = 5 % slow, -0.2 = 20 % fast. */
  drift: number;
  /** Seed of the jitter's PRNG (each connection draws its own sequence from it). */
  seed: number;
}

export const DEFAULT_PROFILE_OPTIONS: ProfileOptions = {
  profile: "nanomq",
  retryIntervalMs: 10_000,
  keepaliveMultiplier: 1.25,
  nanomqVersion: NANOMQ_LATEST,
};

/** a >= b for version triples. */
export function versionAtLeast(a: NanomqVersion, b: NanomqVersion): boolean {
  for (let i = 0; i < 3; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}
