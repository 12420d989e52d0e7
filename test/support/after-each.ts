import { runningWork, RunningWork } from '@playball/platform/observability';

// A relay or consumer started inside a test must be stopped by the end of that test; ones a file
// starts in beforeAll belong to the file and are stopped in its afterAll.
let before = new Set<RunningWork>();

beforeEach(() => {
  before = new Set(runningWork());
});

afterEach(() => {
  const leaked = runningWork().filter((work) => !before.has(work));
  if (leaked.length > 0) {
    throw new Error(`left running after the test: ${leaked.map((w) => w.name).join(', ')}`);
  }
});
