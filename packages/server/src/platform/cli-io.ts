/** Where a `kerf` command writes and what it reads of its environment (tests pass their own). */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** draw a progress bar (stderr is a terminal) */
  isTTY: boolean;
}
