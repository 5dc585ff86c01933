#!/usr/bin/env node
'use strict';
// The land-survey command. The TypeScript sources are bundled to dist/cli.js by `npm run build`
// (also run by `npm ci` through postinstall).
const path = require('node:path');
const fs = require('node:fs');
const built = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(built)) {
  console.error('land-survey: 未找到构建产物，请先运行 npm run build / dist/cli.js is missing: run `npm run build` first');
  process.exit(2);
}
require(built);
