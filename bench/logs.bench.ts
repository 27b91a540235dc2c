import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CATALOGUE } from "../src/signatures/catalogue.js";
import { KNOWN_LINES } from "../src/signatures/known-lines.js";
import { type GeneratedCounts, generateNanomqLog } from "./logs-generate.js";

/**
 * `npm run bench -- logs`: generates a real-format NanoMQ log of 1 GB (bench/logs-generate.ts: what 0.21.9/0.25.3
 * write at warn — online/offline, sleep aio error, kicks, rv lines with their blank lines, merged console lines),
 * half in the console format and half in the file format (two files, read as one log), and runs, in the same run and
 * alternately, `mqdiag logs --format json` (the real CLI, in a child: its peak RSS from /usr/bin/time) and the grep
 * pipeline `grep -o -F -f <the catalogue's anchors> | sort | uniq -c` over the same files with a warm page cache.
 * It reports MB/s, the ratio, peak RSS, the load average, and whether mqdiag's counts agree with grep's and with
 * what was generated. Then the same for the real 0.25.3 console fixture repeated to 256 MB (realLines). Each round
 * also gives both sides' CPU time (user + system, all processes and threads), steadier under load than wall time.
 * `MQDIAG_BENCH_LOG_BYTES`, `MQDIAG_BENCH_REAL_BYTES`, `MQDIAG_BENCH_ROUNDS` set sizes and rounds. The files are
 * deleted afterwards.
 */
const TARGET_BYTES = Number(process.env.MQDIAG_BENCH_LOG_BYTES ?? 1024 ** 3);
const ROUNDS = Number(process.env.MQDIAG_BENCH_ROUNDS ?? 2);
const REAL_BYTES = Number(process.env.MQDIAG_BENCH_REAL_BYTES ?? 256 * 1024 ** 2);
const BIN = fileURLToPath(new URL("../../bin/mqdiag.js", import.meta.url));
const REAL_FIXTURE = fileURLToPath(
  new URL("../../test/fixtures/logs/nanomq-real-0.25.3-console.log", import.meta.url),
);

function longestLiteral(text: string): string {
  return text.split(/\{\w+\}/).reduce((a, b) => (b.length > a.length ? b : a), "");
}

/** The catalogue's NanoMQ anchors (the literal each template cannot match without) and known lines', with owners. */
function anchors(): Map<string, Set<string>> {
  const owners = new Map<string, Set<string>>();
  const add = (anchor: string, id: string) => owners.set(anchor, (owners.get(anchor) ?? new Set()).add(id));
  for (const sig of CATALOGUE) {
    for (const t of sig.templates) if (t.dialect === "nanomq") add(longestLiteral(t.text), sig.id);
  }
  for (const k of KNOWN_LINES) add(longestLiteral(k.template.text), `known:${k.id}`);
  return owners;
}

/** Ids that share an anchor are compared as one group (e.g. the `connect nego error rv:` family). */
function groups(owners: Map<string, Set<string>>): Map<string, string> {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    const p = parent.get(x) ?? x;
    if (p === x) return x;
    const r = find(p);
    parent.set(x, r);
    return r;
  };
  const union = (ids: string[]) => {
    const [first, ...rest] = ids;
    for (const id of rest)
      if (find(id) !== find(first as string)) parent.set(find(id), find(first as string));
  };
  for (const ids of owners.values()) union([...ids]);
  // A `connect nego error rv:` line is read by its rv: grep sees the wording, mqdiag the rv's signature.
  union(CATALOGUE.filter((s) => s.templates.some((t) => t.key === "nego-rv")).map((s) => s.id));
  const out = new Map<string, string>();
  for (const ids of owners.values()) for (const id of ids) out.set(id, find(id));
  return out;
}

function timed<T>(fn: () => T): { value: T; seconds: number } {
  const start = performance.now();
  const value = fn();
  return { value, seconds: (performance.now() - start) / 1000 };
}

/** `/usr/bin/time -f "%U %S …"`'s first two fields on the last line of stderr: user + system CPU seconds. */
function cpuSeconds(stderr: string): number {
  const m = /([\d.]+) ([\d.]+)(?: \d+)?\s*$/.exec(stderr.trim());
  return m ? Number(m[1]) + Number(m[2]) : Number.NaN;
}

function grepPipeline(
  patterns: string,
  files: string[],
): { counts: Map<string, number>; seconds: number; cpu: number } {
  const cmd = `grep -h -o -F -f '${patterns}' ${files.map((f) => `'${f}'`).join(" ")} | sort | uniq -c`;
  // The shell waits for grep, sort and uniq: its CPU time (time's %U %S) is theirs.
  const r = timed(() =>
    spawnSync("/usr/bin/time", ["-f", "%U %S", "sh", "-c", cmd], { encoding: "utf8", maxBuffer: 1 << 24 }),
  );
  const counts = new Map<string, number>();
  for (const line of r.value.stdout.split("\n")) {
    const m = /^\s*(\d+) (.*)$/.exec(line);
    if (m) counts.set(m[2] as string, Number(m[1]));
  }
  return { counts, seconds: r.seconds, cpu: cpuSeconds(r.value.stderr) };
}

interface LogsJson {
  lines: number;
  signatures: { id: string; count: number }[];
  incidents: { kind: string; count: number }[];
  known?: { id: string; count: number }[];
}

function mqdiag(files: string[]): { json: LogsJson; seconds: number; peakMb: number; cpu: number } {
  const r = timed(() =>
    spawnSync(
      "/usr/bin/time",
      ["-f", "%U %S %M", process.execPath, BIN, "logs", "--format", "json", ...files],
      { encoding: "utf8", maxBuffer: 1 << 24 },
    ),
  );
  if (r.value.status !== 0) throw new Error(`mqdiag logs failed: ${r.value.stderr.slice(-500)}`);
  const peakKb = Number(/(\d+)\s*$/.exec(r.value.stderr.trim())?.[1] ?? Number.NaN);
  return {
    json: JSON.parse(r.value.stdout) as LogsJson,
    seconds: r.seconds,
    peakMb: peakKb / 1024,
    cpu: cpuSeconds(r.value.stderr),
  };
}

/** Both sides' CPU time (all their processes and threads): under load, a steadier ratio than wall time's. */
const cpuLine = (grep: { cpu: number }, mq: { cpu: number }) =>
  `CPU ${grep.cpu.toFixed(2)} s vs ${mq.cpu.toFixed(2)} s (grep CPU / mqdiag CPU ${(grep.cpu / mq.cpu).toFixed(2)})`;

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

export default async function logsBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "mqdiag-bench-logs-"));
  try {
    const console1 = join(dir, "nanomq-console.log");
    const file2 = join(dir, "nanomq.log");
    const gen = performance.now();
    const a = await generateNanomqLog(console1, TARGET_BYTES / 2, "console", 0);
    const b = await generateNanomqLog(file2, TARGET_BYTES / 2, "file", 400_000);
    const files = [console1, file2];
    const size = statSync(console1).size + statSync(file2).size;
    const mb = size / 1024 ** 2;
    console.log(
      `generated ${(size / 1024 ** 3).toFixed(2)} GB (${a.lines + b.lines} lines; console + file format) in ${((performance.now() - gen) / 1000).toFixed(1)} s`,
    );
    const owners = anchors();
    const patterns = join(dir, "anchors.txt");
    writeFileSync(patterns, `${[...owners.keys()].join("\n")}\n`);

    grepPipeline(patterns, files); // warm the page cache for both
    console.log(`load average before: ${load()}`);
    let best: { grep: number; mqdiag: number; ratio: number } | undefined;
    let last: { grep: ReturnType<typeof grepPipeline>; mq: ReturnType<typeof mqdiag> } | undefined;
    for (let round = 1; round <= ROUNDS; round++) {
      const grep = grepPipeline(patterns, files);
      const mq = mqdiag(files);
      const ratio = grep.seconds / mq.seconds;
      console.log(
        `round ${round}: grep pipeline ${grep.seconds.toFixed(2)} s (${(mb / grep.seconds).toFixed(0)} MB/s) · mqdiag logs ${mq.seconds.toFixed(2)} s (${(mb / mq.seconds).toFixed(0)} MB/s, peak RSS ${mq.peakMb.toFixed(0)} MB) · mqdiag speed / grep speed ${ratio.toFixed(2)} · ${cpuLine(grep, mq)} · load ${load()}`,
      );
      if (!best || ratio > best.ratio) best = { grep: grep.seconds, mqdiag: mq.seconds, ratio };
      last = { grep, mq };
    }
    if (!last || !best) return;
    console.log(
      `best round: mqdiag ${(mb / best.mqdiag).toFixed(0)} MB/s vs grep pipeline ${(mb / best.grep).toFixed(0)} MB/s: ratio ${best.ratio.toFixed(2)} (≥ 1: at least grep's speed); peak RSS ${last.mq.peakMb.toFixed(0)} MB (limit 150)`,
    );
    report(owners, last.grep.counts, last.mq.json, [a, b]);
    realLines(dir, patterns, owners);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The second corpus: the real NanoMQ 0.25.3 console log of a scenario run (test/fixtures), repeated. A third of its
 * lines are incident lines (the generated log has 1 in 20), so more of it is read through the plain path.
 */
function realLines(dir: string, patterns: string, owners: Map<string, Set<string>>): void {
  const text = readFileSync(REAL_FIXTURE, "utf8");
  const path = join(dir, "nanomq-real-repeated.log");
  const copies = Math.ceil(REAL_BYTES / Buffer.byteLength(text));
  writeFileSync(path, text.repeat(copies));
  const mb = statSync(path).size / 1024 ** 2;
  grepPipeline(patterns, [path]);
  let best: number | undefined;
  let last: { grep: ReturnType<typeof grepPipeline>; mq: ReturnType<typeof mqdiag> } | undefined;
  for (let round = 1; round <= ROUNDS; round++) {
    const grep = grepPipeline(patterns, [path]);
    const mq = mqdiag([path]);
    const ratio = grep.seconds / mq.seconds;
    console.log(
      `real 0.25.3 console lines ×${copies} (${mb.toFixed(0)} MB), round ${round}: grep pipeline ${grep.seconds.toFixed(2)} s (${(mb / grep.seconds).toFixed(0)} MB/s) · mqdiag logs ${mq.seconds.toFixed(2)} s (${(mb / mq.seconds).toFixed(0)} MB/s, peak RSS ${mq.peakMb.toFixed(0)} MB) · mqdiag speed / grep speed ${ratio.toFixed(2)} · ${cpuLine(grep, mq)} · load ${load()}`,
    );
    best = Math.max(best ?? 0, ratio);
    last = { grep, mq };
  }
  if (!last) return;
  console.log(`real 0.25.3 console lines, best round: mqdiag speed / grep speed ${best?.toFixed(2)}`);
  const { grep, mq } = last;
  report(owners, grep.counts, mq.json, []);
}

function report(
  owners: Map<string, Set<string>>,
  grep: Map<string, number>,
  json: LogsJson,
  generatedLogs: GeneratedCounts[],
): void {
  const group = groups(owners);
  const want = new Map<string, number>();
  for (const [anchor, n] of grep) {
    const id = [...(owners.get(anchor) ?? [])][0];
    const g = id ? group.get(id) : undefined;
    if (g) want.set(g, (want.get(g) ?? 0) + n);
  }
  const got = new Map<string, number>();
  for (const s of json.signatures) {
    const g = group.get(s.id);
    if (g) got.set(g, (got.get(g) ?? 0) + s.count);
  }
  for (const k of json.known ?? []) {
    const g = group.get(`known:${k.id}`);
    if (g) got.set(g, (got.get(g) ?? 0) + k.count);
  }
  const members = new Map<string, string[]>();
  for (const [id, g] of group) members.set(g, [...(members.get(g) ?? []), id]);
  const label = (g: string) => [...new Set(members.get(g) ?? [g])].sort().join(" + ");
  const keys = [...new Set([...want.keys(), ...got.keys()])].sort();
  const diffs = keys.filter((k) => want.get(k) !== got.get(k));
  for (const k of keys)
    console.log(`  ${label(k).padEnd(52)} grep ${want.get(k) ?? 0}  mqdiag ${got.get(k) ?? 0}`);
  console.log(
    diffs.length === 0
      ? "counts agree with grep's"
      : `COUNTS DIFFER from grep's: ${diffs.map(label).join(", ")}`,
  );
  if (generatedLogs.length === 0) return;
  const generated = new Map<string, number>();
  for (const c of generatedLogs) {
    for (const [k, n] of Object.entries(c.incidents)) generated.set(k, (generated.get(k) ?? 0) + n);
  }
  const incidents = new Map(json.incidents.map((i) => [i.kind, i.count]));
  const lines = generatedLogs.reduce((n, c) => n + c.lines, 0);
  const wrong = [...new Set([...generated.keys(), ...incidents.keys()])].filter(
    (k) => generated.get(k) !== incidents.get(k),
  );
  console.log(
    `incidents: ${[...incidents].map(([k, n]) => `${k} ${n}`).join(", ")}; lines ${json.lines} (generated ${lines})`,
  );
  console.log(
    wrong.length === 0 && json.lines === lines
      ? "incidents and lines are those generated"
      : `INCIDENTS DIFFER from those generated: ${wrong.join(", ")}`,
  );
}
