/** Where a command writes; injected so tests run commands in-process and read what they said. */
export interface Output {
  out: (text: string) => void;
  err: (text: string) => void;
}

export const processOutput: Output = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

export interface CommandContext {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  output: Output;
  /**
   * Rewrites one status line on a terminal; absent when stderr is not a terminal (CI logs,
   * pipes), where long work reports one line per phase instead.
   */
  status?: (text: string) => void;
}

/** A status line on a terminal: rewritten in place, cleared when the next full line is written. */
export function terminalStatus(stream: NodeJS.WriteStream): ((text: string) => void) | undefined {
  if (!stream.isTTY) return undefined;
  return (text) => {
    const width = Math.max(20, (stream.columns || 80) - 1);
    stream.write(`\r${text.slice(0, width).padEnd(width)}${text === '' ? '\r' : ''}`);
  };
}

/** A command returns its exit status; errors it throws are turned into one-line messages by main. */
export type Command = (argv: string[], context: CommandContext) => Promise<number>;
