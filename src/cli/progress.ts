/**
 * Progress of a batch on stderr: a bar redrawn in place on a terminal; otherwise (a log file, CI) one line every
 * `every` items and one at the end. `every` 0 turns it off.
 */
export interface ProgressSink {
  /** True when stderr is a terminal (the bar is redrawn with '\r'). */
  tty: boolean;
  /** Writes text as is (no newline added). */
  write(text: string): void;
}

export class Progress {
  private done = 0;
  private readonly start = Date.now();
  private lastDraw = 0;

  constructor(private readonly total: number, private readonly sink: ProgressSink, private readonly every: number) {}

  /** One more item finished. */
  tick(): void {
    this.done++;
    if (this.every <= 0 || this.total < 2) return;
    const last = this.done === this.total;
    if (this.sink.tty) {
      const now = Date.now();
      if (last || now - this.lastDraw >= 100) {
        this.lastDraw = now;
        this.sink.write(`\r${this.bar()}${last ? '\n' : ''}`);
      }
    } else if (last || this.done % this.every === 0) {
      this.sink.write(`${this.line()}\n`);
    }
  }

  private rate(): string {
    const s = (Date.now() - this.start) / 1000;
    return s > 0 ? `${(this.done / s).toFixed(1)}/s` : '';
  }

  private bar(): string {
    const width = 30, filled = Math.round((this.done / this.total) * width);
    return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.done}/${this.total} ${this.rate()}`;
  }

  private line(): string {
    return `progress: ${this.done}/${this.total} (${Math.floor((this.done / this.total) * 100)}%) ${this.rate()}`;
  }
}
