/**
 * The one runtime of the add-in: store + controller, created once per page. With the shared
 * runtime the ribbon commands and the task pane live in the same page (the task pane's), and find
 * the same instance here.
 */
import { ApiClient } from './api/client';
import { createController, type Controller } from './controller';
import { workerAnalyse } from './analysis/client';
import { officeHost, type Host } from './office/host';
import { createAuthenticator } from './auth';
import { buildConfig } from './auth/config';
import { initialState, Store } from './state/store';

export interface Runtime {
  store: Store;
  controller: Controller;
}

const KEY = '__landSurveyAddinRuntime';

export function getRuntime(host: Host = officeHost()): Runtime {
  const g = globalThis as unknown as Record<string, Runtime | undefined>;
  let rt = g[KEY];
  if (!rt) {
    const store = new Store(initialState());
    const auth = createAuthenticator();
    const connection = { serviceUrl: buildConfig().apiUrl, auth };
    const api = new ApiClient(() => connection);
    rt = { store, controller: createController({ store, host, api, auth, analyse: workerAnalyse() }) };
    g[KEY] = rt;
  }
  return rt;
}
