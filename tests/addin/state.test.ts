import { ApiClient, ApiError, apiBase } from '../../addin/api/client';
import { devKeyAuthenticator } from '../../addin/auth/signin';
import { countIssues, initialState, isOffice, Store } from '../../addin/state/store';
import { issue } from './helpers';

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

  test('office features only when the service says the signed-in user is the office’s', () => {
    const base = initialState();
    expect(isOffice(base)).toBe(false);
    expect(isOffice({ ...base, role: 'department' })).toBe(false);
    expect(isOffice({ ...base, role: 'office' })).toBe(true);
  });
});

describe('service client', () => {
  test('service address: the /api base from the build-time address; nonsense is refused in Chinese', () => {
    expect(apiBase('http://localhost:7071')).toBe('http://localhost:7071/api');
    expect(apiBase(' https://fn.example.cn/api/ ')).toBe('https://fn.example.cn/api');
    expect(() => apiBase('localhost')).toThrow(ApiError);
    expect(() => apiBase('ftp://x')).toThrow('服务地址须以');
  });

  test('health needs no sign-in, and sends no credential when not signed in', async () => {
    const fetchMock = jest.fn(async () => new Response(JSON.stringify({ status: 'ok' }), { status: 200 }));
    const api = new ApiClient(() => ({ serviceUrl: 'http://h', auth: devKeyAuthenticator() }), { fetch: fetchMock as unknown as typeof fetch });
    await expect(api.health()).resolves.toMatchObject({ status: 'ok' });
    const init = (fetchMock.mock.calls[0] as unknown as [string, RequestInit])[1];
    expect(init.headers).not.toHaveProperty('x-land-survey-key');
    expect(init.headers).not.toHaveProperty('authorization');
  });
});
