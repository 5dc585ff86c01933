import { registerCommands } from '../../addin/commands/register';
import type { Runtime } from '../../addin/runtime';

type Handler = (event: { completed(): void }) => Promise<void>;

function install() {
  const handlers = new Map<string, Handler>();
  (globalThis as unknown as { Office: unknown }).Office = { actions: { associate: (name: string, h: Handler) => void handlers.set(name, h) } };
  return handlers;
}

afterEach(() => {
  delete (globalThis as unknown as { Office?: unknown }).Office;
});

test('a ribbon command runs the shared controller and always completes its event', async () => {
  const handlers = install();
  const calls: string[] = [];
  const ok = (name: string) => async () => (calls.push(name), true);
  const rt = { store: {}, controller: { validate: ok('validate'), determine: ok('determine'), submit: ok('submit'), consolidate: ok('consolidate') } } as unknown as Runtime;
  const showPane = jest.fn(async () => undefined);
  registerCommands(rt, showPane);
  const event = { completed: jest.fn() };
  await handlers.get('determine')!(event);
  expect(calls).toEqual(['determine']);
  expect(event.completed).toHaveBeenCalledTimes(1);
  expect(showPane).not.toHaveBeenCalled();
});

test('a failed command opens the pane (where its message is) and still completes; a throw completes too', async () => {
  const handlers = install();
  const rt = {
    store: {},
    controller: { validate: async () => false, determine: async () => true, submit: async () => { throw new Error('boom'); }, consolidate: async () => true },
  } as unknown as Runtime;
  const showPane = jest.fn(async () => undefined);
  registerCommands(rt, showPane);
  const e1 = { completed: jest.fn() };
  await handlers.get('validate')!(e1);
  expect(showPane).toHaveBeenCalledTimes(1);
  expect(e1.completed).toHaveBeenCalledTimes(1);
  const e2 = { completed: jest.fn() };
  await expect(handlers.get('submit')!(e2)).rejects.toThrow('boom');
  expect(e2.completed).toHaveBeenCalledTimes(1);
});
