#!/usr/bin/env node
// Runs the TypeScript CLI directly (Node 24 strips types); use the project's Node 24 (npm run upfront -- …).
import "../src/cli/main.ts";
