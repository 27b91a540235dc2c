import type { BehaviourSpec } from "../fleet/behaviour-spec.js";
import type { LinkFault, LinkSpec } from "../link/types.js";
import type { NetworkScenarioOptions } from "./network-options.js";

/**
 * A subject client's spec with the user's link (--latency, --stall-at, …): every scenario's subject clients dial
 * through it; the control client never does. A spec that brings its own link (the network scenarios merge the
 * user's faults into theirs with mergeLink) is left as it is.
 */
export function withUserLink(
  spec: BehaviourSpec,
  network: NetworkScenarioOptions | undefined,
): BehaviourSpec {
  if (spec.link || !network?.link) return spec;
  return { ...spec, link: network.link };
}

/**
 * A scenario's own faults with the user's added: a user fault of the same kind (and packet, for drop and delay)
 * replaces the scenario's, so `--stall-at 40s` moves network-stall's stall and `--latency 200ms` adds latency.
 */
export function mergeLink(own: readonly LinkFault[], user: LinkSpec | undefined): LinkSpec {
  const key = (f: LinkFault) => (f.kind === "drop" || f.kind === "delay" ? `${f.kind}:${f.packet}` : f.kind);
  const userFaults = user?.faults ?? [];
  const replaced = new Set(userFaults.map(key));
  return {
    faults: [...own.filter((f) => !replaced.has(key(f))), ...userFaults],
    seed: user?.seed ?? 1,
  };
}
