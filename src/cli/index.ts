import { main } from './main.js';
import { processOutput } from './output.js';

process.exitCode = await main(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  output: processOutput,
});
