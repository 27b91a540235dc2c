/** The sweep of ping intervals under the profile's model: what `keepalive-budget` reports besides its checks. */
export interface KeepaliveBudget {
  keepaliveMs: number;
  /** The largest gap between inbound packets never kicked, and the smallest always kicked (ms; null = never). */
  largestSafeMs: number | null;
  smallestKickedMs: number | null;
  sweep: { intervalMs: number; outcome: "survives" | "kicked" | "depends-on-phase" }[];
}
