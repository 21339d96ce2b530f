#!/usr/bin/env node
// The CLI, compiled to dist/ by `npm run build` (run automatically by `npm ci` / `npm install` via "prepare").
import { main } from '../dist/src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
