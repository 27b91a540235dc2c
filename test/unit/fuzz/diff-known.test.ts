import { describe, expect, it } from "vitest";
import { NANOMQ_KNOWN } from "../../../fuzz/diff-known.js";
import { type DiffRecord, explain } from "../../../fuzz/differential.js";

/** Connection 600 of seed 11 as `npm run bench -- fuzz-diff` recorded it on the real 0.25.3 at load average 20. */
const chain = [
  "recv-error · WARN · nni aio recv error!! Connection shutdown",
  "parse-error · WARN · tcptran_pipe_recv_cb: recv_error rv: 139",
  "~ client-connected · WARN · fuzz-600 online!",
  "~ client-offline · WARN · fuzz-600 offline!",
];
const timerLine = "~ known:timer-cancelled · WARN · sleep aio error 7";
const record = (real: string[], profile: string[]): DiffRecord => ({
  id: 600,
  plan: "mutation",
  bad: "31",
  real: { closed: false, answered: "20020000", lines: real },
  profile: { closed: false, answered: "20020000", lines: profile },
});

describe("named differences of the differential fuzzing (NanoMQ)", () => {
  it("the real broker's timer line written after the window is the named late line", () => {
    expect(explain(record(chain, [...chain, timerLine]), NANOMQ_KNOWN)).toBe("nanomq-timer-line-late");
  });

  it("the timer line missing on the profile's side stays unexplained", () => {
    expect(explain(record([...chain, timerLine], chain), NANOMQ_KNOWN)).toBe("unexplained");
  });

  it("a late timer line does not cover another difference", () => {
    const other = [
      ...chain.slice(0, 1),
      "parse-error · WARN · tcptran_pipe_recv_cb: recv_error rv: 153",
      ...chain.slice(2),
    ];
    expect(explain(record(chain, [...other, timerLine]), NANOMQ_KNOWN)).toBe("unexplained");
  });
});
