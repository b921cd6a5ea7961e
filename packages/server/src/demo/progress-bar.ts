/**
 * A one-line progress bar on a terminal (redrawn with \r), or nothing on a pipe or file,
 * where the loader's own progress lines are enough. Text lines clear the bar first so the
 * two never interleave on one line.
 */
export interface ProgressBar {
  tick(done: number, total: number): void;
  line(text: string): void;
  finish(): void;
}

const WIDTH = 30;

export function progressBar(write: (s: string) => void, isTTY: boolean, label = 'jobs'): ProgressBar {
  let shown = false;
  let last = '';
  const clear = () => {
    if (shown) write('\r\x1b[K');
    shown = false;
  };
  return {
    tick(done, total) {
      if (!isTTY || total <= 0) return;
      const filled = Math.round((done / total) * WIDTH);
      const bar = `\r[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${done}/${total} ${label}`;
      if (bar === last && shown) return;
      write(bar);
      last = bar;
      shown = true;
    },
    line(text) {
      clear();
      write(`${text}\n`);
      if (isTTY && last) {
        write(last);
        shown = true;
      }
    },
    finish() {
      clear();
      last = '';
    },
  };
}
