/** Where a command writes; injected so tests run commands in-process and read what they said. */
export interface Output {
  out: (text: string) => void;
  err: (text: string) => void;
  /**
   * Writes UTF-8 text already encoded (and a newline), as `out` would write it decoded: a long
   * listing read from a cache is passed on without decoding and encoding it again.
   */
  outBytes?: (bytes: Buffer) => void;
}

export const processOutput: Output = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  outBytes: (bytes) => {
    process.stdout.write(bytes);
    process.stdout.write('\n');
  },
};

/** Writes encoded text through `outBytes` where the output has it, else decoded through `out`. */
export function writeOut(output: Output, bytes: Buffer): void {
  if (output.outBytes) output.outBytes(bytes);
  else output.out(bytes.toString('utf8'));
}

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
