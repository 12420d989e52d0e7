import { ScanProgress } from '../cli/topic-scan';

/** At most this often on a terminal (a bar redrawn in place), and this often as plain lines. */
const TTY_INTERVAL_MS = 200;
const LINE_INTERVAL_MS = 2_000;
const BAR_WIDTH = 30;

/**
 * Progress on stderr (stdout stays the result): a bar on a terminal, a line every 2 s otherwise,
 * JSON lines with --json, so a script can follow a long rebuild too.
 */
export class Progress {
  private last = 0;
  private drawn = false;

  constructor(
    private readonly json: boolean,
    private readonly tty = process.stderr.isTTY === true,
    private readonly out: (text: string) => void = (text) => process.stderr.write(text),
  ) {}

  report(phase: string, { read, total }: ScanProgress, final = false): void {
    const now = Date.now();
    if (!final && now - this.last < (this.tty && !this.json ? TTY_INTERVAL_MS : LINE_INTERVAL_MS)) return;
    this.last = now;
    const percent = total === 0 ? 100 : Math.floor((read / total) * 100);
    if (this.json) this.out(`${JSON.stringify({ progress: { phase, read, total, percent } })}\n`);
    else if (this.tty) {
      const filled = Math.round((percent / 100) * BAR_WIDTH);
      this.out(
        `\r${phase} [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${percent}% ${read}/${total} records`,
      );
      this.drawn = true;
      if (final) this.end();
    } else this.out(`${phase}: ${read}/${total} records (${percent}%)\n`);
  }

  end(): void {
    if (this.drawn) this.out('\n');
    this.drawn = false;
  }
}
