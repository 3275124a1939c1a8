import { main } from './main.js';
import { processOutput, terminalStatus } from './output.js';

const status = terminalStatus(process.stderr);
process.exitCode = await main(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  output: processOutput,
  ...(status ? { status } : {}),
});
