/**
 * A stand-in for the virtual module `@azure/functions-core` that the Functions host provides:
 * it only records what `app.http(...)` registers, so the local stand-in host and the tests can
 * call the very handlers the app registered. Not the Functions host.
 */
export interface Registration {
  name: string;
  /** Upper-case HTTP methods. */
  methods: string[];
  /** Route template without the `api/` prefix, e.g. `templates/{form}`. */
  route: string;
  authLevel: string;
  handler: (request: unknown, context: unknown) => unknown;
}

interface Binding {
  type?: string;
  route?: string;
  methods?: string[];
  authLevel?: string;
}

export const registrations: Registration[] = [];

const disposable = { dispose() {} };

export const fakeCore = {
  version: 'local-stand-in',
  hostVersion: 'local-stand-in',
  setProgrammingModel() {},
  getProgrammingModel() {
    return undefined;
  },
  registerHook() {
    return disposable;
  },
  log() {},
  registerFunction(metadata: { name: string; bindings: Record<string, Binding> }, handler: Registration['handler']) {
    const trigger = Object.values(metadata.bindings).find((b) => b.type === 'httpTrigger');
    if (trigger) {
      registrations.push({
        name: metadata.name,
        methods: (trigger.methods ?? ['GET', 'POST']).map((m) => m.toUpperCase()),
        route: trigger.route ?? metadata.name,
        authLevel: trigger.authLevel ?? 'function',
        handler,
      });
    }
    return disposable;
  },
};

/** Outside jest: make `require('@azure/functions-core')` answer with the stand-in. */
export function installCoreCapture(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Module = require('node:module') as { _load: (request: string, ...rest: unknown[]) => unknown };
  const original = Module._load;
  Module._load = function (request: string, ...rest: unknown[]) {
    if (request === '@azure/functions-core') return fakeCore;
    return original.call(this, request, ...rest);
  };
}
