import { kickSamples } from "./checks/keepalive.js";
import { adaptiveWaitS, nextKeepalives } from "./keepalive-adaptive.js";
import { fingerprint } from "./keepalive-fingerprint.js";
import { runSilentSessions, type SilentSample } from "./keepalive-sessions.js";
import type { CheckContext } from "./types.js";

/** A fit rarely needs more than two rounds; the third is a bound, not a plan. */
const MAX_ROUNDS = 3;

/**
 * After the staggered silent sessions: fit the models, and while the fit leaves a parameter open that one more
 * round can pin (keepalive-adaptive.ts), run that round, all of its sessions at once, each waiting until the latest kick a model still
 * in the running predicts, and never past `deadlineMs` (clock ms; the check never outlasts the stagger window
 * plus --max-wait). Returns every sample.
 */
export async function adaptiveRounds(
  ctx: CheckContext,
  first: readonly SilentSample[],
  deadlineMs: number,
): Promise<SilentSample[]> {
  const { clock } = ctx.options;
  let all = [...first];
  for (let r = 0; r < MAX_ROUNDS; r++) {
    const fp = fingerprint(kickSamples(all), ctx.options.maxWaitMs / 1000);
    const budgetS = (deadlineMs - clock.now()) / 1000;
    const kicks = fp.groups
      .filter((g) => g.median !== null)
      .map((g) => ({ keepalive: g.keepalive, t: g.median as number }));
    const next = nextKeepalives(fp.inferred, kicks, budgetS);
    if (next.length === 0) break;
    ctx.options.onProgress?.(`keepalive: adaptive round ${r + 1} at keepalive ${next.join(", ")} s`);
    const plan = next.map((keepalive) => ({ keepalive, offsetMs: 0, round: 0 }));
    const extra = await runSilentSessions(ctx, plan, undefined, {
      waitMs: adaptiveWaitS(fp.inferred, kicks, next, budgetS) * 1000,
      first: all.length,
      kind: "adaptive",
    });
    all = [...all, ...extra];
  }
  return all;
}
