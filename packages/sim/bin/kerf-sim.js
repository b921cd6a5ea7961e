#!/usr/bin/env node
// The `kerf-sim` command. The code lives in src/cli.ts; `npm run build` compiles it to dist/.
import { runCli } from '../dist/cli.js';

process.exit(await runCli(process.argv.slice(2)));
