import { defineConfig } from "vitest/config";
import { LongFirstSequencer } from "./test/helpers/sequencer.js";

export default defineConfig({
  test: {
    testTimeout: 60_000,
    // The suite waits on real time (real brokers' timers, sockets) far more than it computes: the files spend ~1150 s
    // inside themselves for ~5 min of CPU. Five workers on these 2 cores overlap the waiting: in fresh-clone CI runs
    // on a quiet machine, 4 workers took 321 s and 5 took 257 s, both all green (6 brought timing failures under load).
    maxWorkers: 5,
    hookTimeout: 30_000,
    // One pool for every project, the real-NanoMQ files first, largest files first (test/helpers/sequencer.ts). The
    // real-NanoMQ files once ran as a group of their own after the rest, smallest last: the 4 workers sat mostly idle
    // through that group's tail, the two 90-second classifier-ground-truth files.
    sequence: { sequencer: LongFirstSequencer },
    projects: [
      { extends: true, test: { name: "unit", include: ["test/unit/**/*.test.ts"] } },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          exclude: ["test/integration/nanomq/**"],
        },
      },
      // The real NanoMQ files (each file starts its own brokers on free ports) side by side with the rest. They once ran
      // one after another: a 0.21.9 broker resuming persistent sessions died mid-file, which turned out to be 0.21.9
      // itself aborting (glibc `free(): invalid next size`) as resumed sessions close, not its neighbours; the state
      // 0.21.9 keeps at fixed paths is handled by test/helpers/nanomq.ts (the pid file under a start lock, the command
      // server's /tmp/nanomq_cmd.ipc switched off).
      {
        extends: true,
        test: { name: "nanomq", include: ["test/integration/nanomq/**/*.test.ts"] },
      },
      { extends: true, test: { name: "cli", include: ["test/cli/**/*.test.ts"] } },
    ],
  },
});
