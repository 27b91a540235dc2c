import { readFileSync } from "node:fs";

/**
 * CPU ms used so far by this process's main thread and the ms it spent runnable but waiting for a CPU (another
 * thread or process had it: /proc/self/task/<pid>/schedstat, ns), and the CPU ms of the whole process
 * (process.cpuUsage: every thread, the link's relay thread included); main and waited are null where /proc is not
 * there.
 */
export function cpuMs(): { main: number | null; waited: number | null; process: number } {
  const usage = process.cpuUsage();
  const all = (usage.user + usage.system) / 1000;
  try {
    const [run, wait] = readFileSync(`/proc/self/task/${process.pid}/schedstat`, "utf8")
      .split(" ")
      .map(Number);
    return { main: (run ?? 0) / 1e6, waited: (wait ?? 0) / 1e6, process: all };
  } catch {
    return { main: null, waited: null, process: all };
  }
}
