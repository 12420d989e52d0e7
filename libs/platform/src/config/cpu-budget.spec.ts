import { availableParallelism } from 'node:os';
import { cpuBudget } from './cpu-budget';

const files = (entries: Record<string, string>) => (path: string) => entries[path];
const cores = availableParallelism();

describe('cpuBudget', () => {
  it('is the CPUs Node sees when no quota is set (no cgroup files, v2 "max", v1 -1)', () => {
    expect(cpuBudget(files({}))).toBe(cores);
    expect(cpuBudget(files({ '/sys/fs/cgroup/cpu.max': 'max 100000\n' }))).toBe(cores);
    expect(
      cpuBudget(
        files({ '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '-1\n', '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000\n' }),
      ),
    ).toBe(cores);
  });

  it("is capped by a cgroup v2 quota, a fraction of a core counting as one, and never above Node's count", () => {
    expect(cpuBudget(files({ '/sys/fs/cgroup/cpu.max': '100000 100000\n' }))).toBe(1);
    expect(cpuBudget(files({ '/sys/fs/cgroup/cpu.max': '50000 100000\n' }))).toBe(1);
    expect(cpuBudget(files({ '/sys/fs/cgroup/cpu.max': `${150_000 * cores} 100000\n` }))).toBe(cores);
  });

  it('reads a cgroup v1 quota when there is no v2 one', () => {
    expect(
      cpuBudget(
        files({
          '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '100000\n',
          '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000\n',
        }),
      ),
    ).toBe(1);
  });
});
