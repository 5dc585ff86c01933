/**
 * Entry of the commands bundle (commands.html). With the shared runtime the task pane page also
 * registers the same handlers against the same runtime, so either page can serve the ribbon.
 */
import { officeHost } from '../office/host';
import { getRuntime } from '../runtime';
import { registerCommands } from './register';

Office.onReady(() => {
  const host = officeHost();
  const rt = getRuntime(host);
  registerCommands(rt, () => host.showPane());
  void rt.controller.syncRibbon();
});
