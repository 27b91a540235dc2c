import type { Observation } from "./keepalive-hypotheses.js";

/**
 * What every silent session has shown so far, while they run: the ones still open (not kicked for as long as
 * they have been open) and the ones done (kicked, or not within their wait). The keepalive plan
 * (keepalive-planned.ts) reads it whenever something changes to decide which of its sessions still tell
 * anything. Times are clock ms.
 */
export class SessionEvidence {
  private readonly live = new Map<string, { keepalive: number; lastPacketAt: number }>();
  private readonly done: Observation[] = [];
  private readonly listeners = new Set<() => void>();

  started(clientId: string, keepalive: number, lastPacketAt: number): void {
    this.live.set(clientId, { keepalive, lastPacketAt });
  }

  /** A session is over: `kickAfter` s after its CONNECT, or not kicked within `waited` s; null = tells nothing. */
  ended(clientId: string, outcome: Observation | null): void {
    this.live.delete(clientId);
    if (outcome) this.done.push(outcome);
    for (const l of this.listeners) l();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every observation at clock ms `now`: the sessions still open count as not kicked within their time so far. */
  observations(now: number): Observation[] {
    const open = [...this.live.values()].map((s) => ({
      keepalive: s.keepalive,
      kickAfter: null,
      waited: Math.max(0, (now - s.lastPacketAt) / 1000),
    }));
    return [...this.done, ...open];
  }
}
