/**
 * Entry of the `land-survey` command (bundled to dist/cli.js by scripts/build.mjs, run by
 * bin/land-survey.js). Commands and exit codes: interfaces.md; usage: docs/cli.md.
 */
import { main } from './app';
import { EXIT_INTERNAL } from './common';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    process.exitCode = EXIT_INTERNAL;
  },
);
