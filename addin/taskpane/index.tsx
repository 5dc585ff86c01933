/**
 * Entry of the task pane bundle. With the shared runtime this page is also the ribbon's function
 * file: it registers the commands against the same runtime the pane shows.
 */
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { createRoot } from 'react-dom/client';
import { registerCommands } from '../commands/register';
import { officeHost } from '../office/host';
import { getRuntime } from '../runtime';
import { App } from './App';

Office.onReady(() => {
  const host = officeHost();
  const rt = getRuntime(host);
  registerCommands(rt, () => host.showPane());
  void rt.controller.syncRibbon();
  const el = document.getElementById('root');
  if (!el) return;
  createRoot(el).render(
    <FluentProvider theme={webLightTheme}>
      <App store={rt.store} actions={rt.controller} />
    </FluentProvider>,
  );
});
