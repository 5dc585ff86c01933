import { ApiClient, ApiError, apiBase } from '../../addin/api/client';
import { countIssues, DEFAULT_SETTINGS, initialState, isOffice, localSettingsStorage, Store } from '../../addin/state/store';
import { issue } from './helpers';

function memoryStorage() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), m };
}

describe('settings storage (the add-in’s own, never the workbook)', () => {
  test('round trip, and defaults when nothing or something broken is stored', () => {
    const mem = memoryStorage();
    const st = localSettingsStorage(mem);
    expect(st.load()).toEqual(DEFAULT_SETTINGS);
    st.save({ serviceUrl: 'https://svc', key: 'k1' });
    expect(st.load()).toEqual({ serviceUrl: 'https://svc', key: 'k1' });
    mem.m.set([...mem.m.keys()][0], '{not json');
    expect(st.load()).toEqual(DEFAULT_SETTINGS);
    mem.m.set([...mem.m.keys()][0], JSON.stringify({ serviceUrl: 5, key: 'k', officeMode: 'yes' }));
    expect(st.load()).toEqual({ serviceUrl: DEFAULT_SETTINGS.serviceUrl, key: 'k' });
  });
});

describe('store', () => {
  test('one state shared by whoever subscribes; listeners see each change', () => {
    const s = new Store();
    const seen: number[] = [];
    const off = s.subscribe(() => seen.push(s.get().issues.length));
    const list = [issue('invalid-uscc', { row: 3, column: 'C' }), issue('normalized-value', { row: 4, column: 'E' })];
    s.set({ issues: list, counts: countIssues(list) });
    off();
    s.set({ issues: [] });
    expect(seen).toEqual([2]);
    expect(countIssues(list)).toEqual({ error: 1, warning: 0, info: 1 });
  });

  test('office features only when the service says the key is the office’s', () => {
    const base = initialState({ serviceUrl: 'x', key: 'k' });
    expect(isOffice(base)).toBe(false);
    expect(isOffice({ ...base, role: 'department' })).toBe(false);
    expect(isOffice({ ...base, role: 'office' })).toBe(true);
  });
});

describe('service client', () => {
  test('service address: the /api base from what users type; nonsense is refused in Chinese', () => {
    expect(apiBase('http://localhost:7071')).toBe('http://localhost:7071/api');
    expect(apiBase(' https://fn.example.cn/api/ ')).toBe('https://fn.example.cn/api');
    expect(() => apiBase('localhost')).toThrow(ApiError);
    expect(() => apiBase('ftp://x')).toThrow('服务地址须以');
  });

  test('health needs no key, and sends none when none is set', async () => {
    const fetchMock = jest.fn(async () => new Response(JSON.stringify({ status: 'ok' }), { status: 200 }));
    const api = new ApiClient(() => ({ serviceUrl: 'http://h', key: '' }), { fetch: fetchMock as unknown as typeof fetch });
    await expect(api.health()).resolves.toMatchObject({ status: 'ok' });
    const init = (fetchMock.mock.calls[0] as unknown as [string, RequestInit])[1];
    expect(init.headers).not.toHaveProperty('x-land-survey-key');
  });
});
