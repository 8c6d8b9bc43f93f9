#!/usr/bin/env node
// Thin launcher: npm workspaces link this file as `redis-ambassador`; the program lives in dist/.
import '../dist/src/main.js';
