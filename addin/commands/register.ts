/**
 * The ribbon's ExecuteFunction handlers (manifest.xml FunctionName values), bound to the shared
 * controller. A command that fails opens the task pane so its Chinese message is seen.
 */
import type { Runtime } from '../runtime';

type Command = () => Promise<boolean>;

export function registerCommands(rt: Runtime, showPane: () => Promise<void>): void {
  const handler = (run: Command) => async (event: Office.AddinCommands.Event) => {
    try {
      const ok = await run();
      if (!ok) await showPane().catch(() => undefined);
    } finally {
      event.completed();
    }
  };
  Office.actions.associate('validate', handler(rt.controller.validate));
  Office.actions.associate('determine', handler(rt.controller.determine));
  Office.actions.associate('submit', handler(rt.controller.submit));
  Office.actions.associate('consolidate', handler(rt.controller.consolidate));
}
