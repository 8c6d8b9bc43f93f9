#!/usr/bin/env node
// The package bin: runs the compiled CLI. `npm run build` (part of the README's set-up) makes dist/.
import '../dist/src/cli/main.js';
