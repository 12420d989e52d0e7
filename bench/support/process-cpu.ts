import { readdirSync, readFileSync } from 'node:fs';

/** CPU seconds (user + system) a process has used so far, from /proc. */
export function cpuSeconds(pid: number): number {
  return statCpuSeconds(`/proc/${pid}/stat`);
}

/**
 * CPU seconds the process's live threads have run so far, to the nanosecond (schedstat), where
 * cpuSeconds counts 10 ms ticks: an idle process runs a few milliseconds a second, which ticks
 * over a few seconds cannot tell from nothing. A thread that has exited is no longer counted.
 */
export function liveThreadsCpuSeconds(pid: number): number {
  let nanoseconds = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      nanoseconds += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // The thread exited between the listing and the read.
    }
  }
  return nanoseconds / 1e9;
}

/**
 * CPU seconds its main thread has used so far: a Node process's event loop, which serves every
 * request on one core whatever its other threads (the relay's, the garbage collector's) do.
 */
export function mainThreadCpuSeconds(pid: number): number {
  return statCpuSeconds(`/proc/${pid}/task/${pid}/stat`);
}

function statCpuSeconds(path: string): number {
  const fields = readFileSync(path, 'utf8').split(') ')[1].split(' ');
  // utime and stime are fields 14 and 15 of stat; after "pid (comm) " they are at 11 and 12.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * CPU seconds this machine's own work has used so far, every core: user, nice, system, irq and
 * softirq from /proc/stat. Idle and iowait are not work; steal is the hypervisor's other tenants.
 */
export function machineBusySeconds(): number {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq] = ticks.map(Number);
  return (user + nice + system + irq + softirq) / 100;
}
