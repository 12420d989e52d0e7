import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/**
 * The cores this process may use: Node's availableParallelism (the CPUs it may run on), capped by
 * the container's CPU quota when it has one. Node does not read the quota, so a container limited to
 * one CPU on a 16-core node counts 16, and sizing by that (argon2's concurrency, 64 MiB a hash)
 * would plan for memory and threads the container cannot use. cgroup v2 (`cpu.max`: "<quota>
 * <period>", or "max") first, then v1 (`cpu.cfs_quota_us`, -1 for none, over `cpu.cfs_period_us`).
 * A fraction of a core counts as one. Read where a container sees its own cgroup, at the mount's
 * root (Docker and Kubernetes with cgroup namespaces); a quota set only on a parent cgroup, or
 * a host cgroup namespace, is not seen, and the count stays Node's.
 */
export function cpuBudget(read: (path: string) => string | undefined = readCgroupFile): number {
  const cores = availableParallelism();
  const quota = cgroupV2Quota(read) ?? cgroupV1Quota(read);
  return quota === undefined ? cores : Math.max(1, Math.min(cores, Math.ceil(quota)));
}

function cgroupV2Quota(read: (path: string) => string | undefined): number | undefined {
  const [quota, period] = (read('/sys/fs/cgroup/cpu.max') ?? '').trim().split(/\s+/);
  return ratio(quota, period);
}

function cgroupV1Quota(read: (path: string) => string | undefined): number | undefined {
  return ratio(
    read('/sys/fs/cgroup/cpu/cpu.cfs_quota_us')?.trim(),
    read('/sys/fs/cgroup/cpu/cpu.cfs_period_us')?.trim(),
  );
}

function ratio(quota: string | undefined, period: string | undefined): number | undefined {
  const q = Number(quota);
  const p = Number(period);
  return Number.isFinite(q) && Number.isFinite(p) && q > 0 && p > 0 ? q / p : undefined;
}

function readCgroupFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
