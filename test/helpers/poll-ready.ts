/** What pollReady needs: the attempt, how long to keep trying, and how to tell the process died meanwhile. */
export interface PollReady {
  attempt: () => Promise<boolean>;
  timeoutMs: number;
  intervalMs: number;
  /** True once the broker process has exited: stop with `diedMessage`. */
  dead: () => boolean;
  diedMessage: string;
  timeoutMessage: string;
}

/** Repeats `attempt` every `intervalMs` until it resolves true; throws when the process died or time ran out. */
export async function pollReady(o: PollReady): Promise<void> {
  const deadline = Date.now() + o.timeoutMs;
  for (;;) {
    if (o.dead()) throw new Error(o.diedMessage);
    if (await o.attempt()) return;
    if (Date.now() > deadline) throw new Error(o.timeoutMessage);
    await new Promise((r) => setTimeout(r, o.intervalMs));
  }
}
