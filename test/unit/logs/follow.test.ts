import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { followLog } from "../../../src/logs/follow-log.js";
import type { Incident } from "../../../src/logs/incident.js";

const PREFIX = "2024-05-01 12:00:0";
const kick = (s: number, tid: number) =>
  `${PREFIX}${s} [${tid}] WARN  nmq_mqtt.c:302 nano_pipe_timer_cb: Warning: close pipe ${tid} & kick client due to KeepAlive timeout!\n`;
const closed = (s: number, tid: number) =>
  `${PREFIX}${s} [${tid}] WARN  broker_tcp.c:731 tcptran_pipe_recv_cb: nni aio recv error!! Object closed\n`;
const shutdown = (s: number, tid: number) =>
  `${PREFIX}${s} [${tid}] WARN  broker_tcp.c:731 tcptran_pipe_recv_cb: nni aio recv error!! Connection shutdown\n`;
const rv139 = (s: number, tid: number) =>
  `${PREFIX}${s} [${tid}] WARN  broker_tcp.c:731 tcptran_pipe_recv_cb: tcptran_pipe_recv_cb: recv_error rv: 139\n`;

/** Resolves when `check` holds, polling; rejects after timeoutMs (bounded waits, real time: test code). */
async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("followLog: tailing a growing, rotated file", () => {
  let dir: string;
  const controller = { current: new AbortController() };
  afterEach(() => {
    controller.current.abort();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Writes `content` to a fresh nanomq.log and follows it; the afterEach above stops it and removes the dir. */
  function startFollow(content: string, options: { idleMs: number; fromEnd?: boolean }) {
    dir = mkdtempSync(join(tmpdir(), "mqdiag-follow-"));
    const path = join(dir, "nanomq.log");
    writeFileSync(path, content);
    const seen: Incident[] = [];
    controller.current = new AbortController();
    const done = followLog(path, {
      signal: controller.current.signal,
      onIncident: (i) => seen.push(i),
      pollMs: 10,
      ...options,
    });
    return { path, seen, done };
  }

  it("reports incidents as they complete, across a rotation (rename + new file), and stops on abort", async () => {
    const { path, seen, done } = startFollow(kick(1, 11), { idleMs: 300 });

    // The sequence completes over two appends; nothing is reported before its last line... then it is.
    appendFileSync(path, closed(1, 7));
    await new Promise((r) => setTimeout(r, 50));
    expect(seen).toEqual([]);
    appendFileSync(path, rv139(1, 7));
    await until(() => seen.length === 1);
    expect(seen[0]).toMatchObject({ kind: "keepalive-timeout", complete: true, firstLine: 1, lastLine: 3 });

    // Rotation: the old file gets one more line after the rename, then a new file appears at the path.
    renameSync(path, `${path}.1`);
    appendFileSync(`${path}.1`, shutdown(2, 8));
    writeFileSync(path, rv139(2, 8));
    await until(() => seen.length === 2);
    expect(seen[1]).toMatchObject({ kind: "peer-gone", complete: true });

    // An incomplete sequence is reported once the file has been quiet for idleMs.
    appendFileSync(path, kick(3, 12));
    await until(() => seen.length === 3);
    expect(seen[2]).toMatchObject({ kind: "keepalive-timeout", complete: false });

    controller.current.abort();
    const summary = await done;
    expect(summary.lines).toBe(6);
    expect(Object.fromEntries([...summary.incidents].map(([k, v]) => [k, v.count]))).toEqual({
      "keepalive-timeout": 2,
      "peer-gone": 1,
    });
  });

  it("reads a file truncated in place from its start again", async () => {
    const { path, seen, done } = startFollow(kick(1, 11) + closed(1, 7) + rv139(1, 7), { idleMs: 200 });
    await until(() => seen.length === 1);
    writeFileSync(path, shutdown(5, 9) + rv139(5, 9));
    await until(() => seen.length === 2);
    expect(seen.map((i) => i.kind)).toEqual(["keepalive-timeout", "peer-gone"]);
    controller.current.abort();
    await done;
  });

  it("fromEnd: skips what the file already holds and classifies only the lines written afterwards", async () => {
    const { path, seen, done } = startFollow(kick(1, 11) + closed(1, 7) + rv139(1, 7), {
      idleMs: 200,
      fromEnd: true,
    });
    await new Promise((r) => setTimeout(r, 100));
    appendFileSync(path, shutdown(2, 8) + rv139(2, 8));
    await until(() => seen.length === 1);
    expect(seen[0]).toMatchObject({ kind: "peer-gone", complete: true, firstLine: 1, lastLine: 2 });
    controller.current.abort();
    const summary = await done;
    expect(summary.lines).toBe(2);
    expect([...summary.incidents.keys()]).toEqual(["peer-gone"]);
  });

  it("a truncation drops the unfinished line it cut off: it is not glued to the new content", async () => {
    const { path, seen, done } = startFollow(
      `${kick(1, 11)}${kick(1, 12)}half a line, cut off by the truncation`,
      { idleMs: 200 },
    );
    await until(() => seen.length === 2); // the lone kicks, reported once the file is quiet
    // Smaller than what was read: the follower notices the truncation by the size.
    writeFileSync(path, shutdown(5, 9) + rv139(5, 9));
    await until(() => seen.length === 3);
    controller.current.abort();
    const summary = await done;
    expect(seen.map((i) => [i.kind, i.complete])).toEqual([
      ["keepalive-timeout", false],
      ["keepalive-timeout", false],
      ["peer-gone", true],
    ]);
    expect(summary.unparsed).toEqual([]);
  });
});
