import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    testTimeout: 60_000,
    // The suite waits on real time (real brokers' timers, sockets) far more than it computes: ~2.5 min of CPU in
    // ~16 min of wall time on one worker. Four workers on these 2 cores overlap the waiting.
    maxWorkers: 4,
    hookTimeout: 30_000,
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
      // The real NanoMQ files one after another: a 0.21.9 broker resuming persistent sessions was seen to die
      // (connection refused) while other files' 0.21.9 instances started and stopped beside it — NanoMQ 0.21.9
      // keeps process-wide state at fixed paths (/tmp/nanomq/nanomq.pid, /tmp/nanomq_cmd.ipc).
      {
        extends: true,
        test: { name: "nanomq", include: ["test/integration/nanomq/**/*.test.ts"], maxWorkers: 1 },
      },
      { extends: true, test: { name: "cli", include: ["test/cli/**/*.test.ts"] } },
    ],
  },
});
