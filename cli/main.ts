/**
 * Entry of the `land-survey` command (bundled to dist/cli.js by scripts/build.mjs, run by
 * bin/land-survey.js). Commands and exit codes: interfaces.md; usage: docs/cli.md.
 */
import { main } from './app';
import { EXIT_INTERNAL } from './common';

// Bundled into dist/cli.js, exceljs's zip library (archiver) no longer sits under node_modules, so
// Node prints a DEP0005 `Buffer()` warning on every workbook written. It is not the user's concern
// and would break the one-line stderr contract: drop that one warning, keep all others.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const code = typeof rest[0] === 'object' && rest[0] !== null ? (rest[0] as { code?: string }).code : rest[1];
  if (code === 'DEP0005') return;
  (emitWarning as (...a: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;

// `land-survey consolidate … --json - | head`: the reader went away. That is not an error of ours:
// the rest of stdout is dropped and the command finishes its work (the workbook is still written).
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    process.exitCode = EXIT_INTERNAL;
  },
);
