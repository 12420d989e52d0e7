import { startSystem, BenchSystem } from './apps';

let running: Promise<BenchSystem> | undefined;

/** auth and group-management, started on first use and shared by the measures of one run. */
export function system(): Promise<BenchSystem> {
  running ??= startSystem();
  return running;
}

/** Peak RSS of each app, read before stopping them. */
export async function stopSystem(): Promise<{ app: string; peakRssMiB: number }[]> {
  if (!running) return [];
  const { auth, groups, stop } = await running;
  const peaks = [auth, groups].map((app) => ({ app: app.name, peakRssMiB: app.peakRssMiB() }));
  running = undefined;
  await stop();
  return peaks;
}
