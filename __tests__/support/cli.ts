import { main } from '../../src/cli/main.js';

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured output, as a user would from `cwd` with `env`. */
export async function runCli(
  argv: string[],
  cwd: string,
  env: Record<string, string>,
  terminal?: { status: (text: string) => void },
): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const status = await main(argv, {
    cwd,
    env,
    output: {
      out: (text) => out.push(text),
      err: (text) => err.push(text),
      outBytes: (bytes) => out.push(bytes.toString('utf8')),
    },
    ...(terminal ? { status: terminal.status } : {}),
  });
  return { status, stdout: out.join('\n'), stderr: err.join('\n') };
}
