import { readFileSync } from "node:fs";

/**
 * CPU ms used so far by this process's main thread (utime + stime of /proc/self/task/<pid>/stat, 10 ms ticks) and
 * by the whole process (process.cpuUsage: every thread, the link's relay thread included); main is null where
 * /proc is not there.
 */
export function cpuMs(): { main: number | null; process: number } {
  const usage = process.cpuUsage();
  const all = (usage.user + usage.system) / 1000;
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { main: (Number(fields[11]) + Number(fields[12])) * 10, process: all };
  } catch {
    return { main: null, process: all };
  }
}
