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
}

/** A command returns its exit status; errors it throws are turned into one-line messages by main. */
export type Command = (argv: string[], context: CommandContext) => Promise<number>;
