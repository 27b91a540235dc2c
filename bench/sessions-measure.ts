import { mosquittoAvailable, startMosquitto } from "../test/helpers/mosquitto.js";
import { NANOMQ_VERSIONS, nanomqAvailable, startNanomq } from "../test/helpers/nanomq.js";
import { measureResume } from "../test/integration/broker/sessions-resume.js";

/**
 * A measurement, not a test or a benchmark: `npm run build && node dist/bench/sessions-measure.js` runs the resume of
 * test/integration/broker/sessions-resume.ts against the real brokers repeatedly and prints one RESULT line per run
 * (delivered, duplicates, DUP flags, order, arrival times). The counts in src/broker/sessions/session-policy.ts came
 * from it. Knobs: RUNS (3), WAIT ms (4000), PV (4 and 5), LEAVE (disconnect|drop), Q (NanoMQ retry_interval s, 1),
 * ONLY (a NanoMQ version, skips the rest), CASES (JSON [{n, qos}]).
 */
const env = process.env;
const RUNS = Number(env.RUNS ?? 3);
const ONLY = env.ONLY;
const DEFAULT_CASES = [
  { n: 5, qos: 1 as const },
  { n: 10, qos: 1 as const },
  { n: 20, qos: 1 as const },
  { n: 10, qos: 2 as const },
  { n: 5, qos: 0 as const },
];
const CASES = env.CASES ? (JSON.parse(env.CASES) as typeof DEFAULT_CASES) : DEFAULT_CASES;
const VERSIONS = (env.PV ? [Number(env.PV)] : [4, 5]) as (4 | 5)[];

async function sweep(name: string, url: string): Promise<void> {
  for (const protocolVersion of VERSIONS)
    for (const c of CASES)
      for (let run = 0; run < RUNS; run++) {
        const r = await measureResume(url, {
          ...c,
          waitMs: Number(env.WAIT ?? 4000),
          protocolVersion,
          leave: env.LEAVE === "drop" ? "drop" : "disconnect",
        });
        console.log(
          `RESULT ${name} v${protocolVersion} qos${c.qos} n${c.n} run${run}: sp=${r.sessionPresent} ` +
            `delivered=${r.delivered} dup=${r.duplicated} dupFlags=${r.dupFlags} order=${r.order.join(",")} ` +
            `at=${r.arrivalsMs.join(",")}`,
        );
      }
}

if (mosquittoAvailable() && !ONLY) {
  const m = await startMosquitto();
  try {
    await sweep("mosquitto", m.url);
  } finally {
    await m.stop();
  }
}
for (const v of NANOMQ_VERSIONS) {
  if (!nanomqAvailable(v) || (ONLY && ONLY !== v)) continue;
  const b = await startNanomq(v, { retryIntervalS: Number(env.Q ?? 1) });
  try {
    await sweep(`nanomq-${v}`, b.url);
  } finally {
    await b.stop();
  }
}
