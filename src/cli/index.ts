import { tuneHeapFor } from './heap.js';
import { main } from './main.js';
import { processOutput, terminalStatus } from './output.js';

tuneHeapFor(process.argv[2]);

const status = terminalStatus(process.stderr);
process.exitCode = await main(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  output: processOutput,
  ...(status ? { status } : {}),
});
