/**
 * Storage of the functions: Azure Blob Storage for workbooks, Table Storage for the index of
 * submissions and reference versions. `LAND_SURVEY_STORAGE` (or `AzureWebJobsStorage`) is the
 * connection string (Azurite locally); the value `memory` keeps everything in this process (for
 * handler tests only). The Azure SDKs are loaded on first use, off the cold path.
 */
import { HttpError } from './http';
import { storageConnection, storagePrefix } from './settings';

export type Entity = { partitionKey: string; rowKey: string } & Record<string, string | number | boolean>;

export interface Store {
  /** Whether the storage answers within `timeoutMs` and lets us in (GET /api/health). */
  ping(timeoutMs: number): Promise<'ok' | 'unreachable' | 'refused'>;
  putBlob(name: string, data: Uint8Array, contentType: string): Promise<void>;
  getBlob(name: string): Promise<Uint8Array>;
  /** Removes a blob if it is there. */
  deleteBlob(name: string): Promise<void>;
  /** Fails (409) when the entity exists. */
  createEntity(table: TableName, e: Entity): Promise<void>;
  /** One entity with its etag (the version the storage holds), or null when there is none. */
  getEntity(table: TableName, partitionKey: string, rowKey: string): Promise<{ entity: Entity; etag: string } | null>;
  /** Replaces the entity only if it is still the version `etag` names; fails (412 `changed`) when another write came first. */
  replaceEntity(table: TableName, e: Entity, etag: string): Promise<void>;
  listEntities(table: TableName, partitionKey?: string): Promise<Entity[]>;
}

/** `pilot`: the units' milestone sheets and the office's project sheets (functions/lib/pilot-store.ts). */
export type TableName = 'submissions' | 'reference' | 'pilot';

const ENTITY_SYSTEM_KEYS = new Set(['etag', 'timestamp', 'odata.metadata', 'odata.etag']);

function cleanEntity(raw: Record<string, unknown>): Entity {
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (ENTITY_SYSTEM_KEYS.has(k)) continue;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
  }
  return out as Entity;
}

/** Node's and the Azure SDK's codes for a storage account that cannot be reached at all. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'REQUEST_SEND_ERROR']);

/** True for an error that says the storage did not answer (not an answer refusing the request). */
export function isUnreachable(e: unknown): boolean {
  const err = e as { code?: unknown; statusCode?: unknown; cause?: unknown } | null;
  if (!err || typeof err !== 'object') return false;
  if (typeof err.code === 'string' && UNREACHABLE.has(err.code)) return true;
  if (err.statusCode === 503) return true; // ServerBusy / unavailable
  return err.cause !== undefined && err.cause !== e && isUnreachable(err.cause);
}

const unavailable = () =>
  new HttpError(503, 'storage-unavailable', '存储服务暂时无法连接，本次请求未完成；请稍后重试，如持续出现请联系管理员', 'the storage account cannot be reached; the request was not completed');

/**
 * Retries for the storage clients: a few quick ones (the caller, often the add-in, is waiting;
 * the SDKs' defaults wait up to tens of seconds before an unreachable account is reported).
 */
const BLOB_RETRY = { maxTries: 3, retryDelayInMs: 300, maxRetryDelayInMs: 1500 };
const TABLE_RETRY = { maxRetries: 2, retryDelayInMs: 300, maxRetryDelayInMs: 1500 };

class AzureStore implements Store {
  private container: Promise<import('@azure/storage-blob').ContainerClient> | undefined;
  private tables = new Map<string, Promise<import('@azure/data-tables').TableClient>>();

  constructor(private readonly conn: string, private readonly prefix: string) {}

  private containerClient() {
    if (!this.container) {
      this.container = (async () => {
        const { BlobServiceClient } = await import('@azure/storage-blob');
        const c = BlobServiceClient.fromConnectionString(this.conn, { retryOptions: BLOB_RETRY }).getContainerClient(this.prefix);
        await c.createIfNotExists();
        return c;
      })();
      this.container.catch(() => (this.container = undefined));
    }
    return this.container;
  }

  private table(name: TableName) {
    let p = this.tables.get(name);
    if (!p) {
      p = (async () => {
        const { TableClient } = await import('@azure/data-tables');
        const insecure = /(^|;)\s*(UseDevelopmentStorage=true|DefaultEndpointsProtocol=http)\s*(;|$)/i.test(this.conn) || /Endpoint=http:/i.test(this.conn);
        const t = TableClient.fromConnectionString(this.conn, `${this.prefix}${name}`, { allowInsecureConnection: insecure, retryOptions: TABLE_RETRY });
        await t.createTable();
        return t;
      })();
      p.catch(() => this.tables.delete(name));
      this.tables.set(name, p);
    }
    return p;
  }

  /** Runs one storage call; an account that does not answer is a 503 that says so. */
  private async io<T>(f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (e) {
      if (isUnreachable(e)) throw unavailable();
      throw e;
    }
  }

  async ping(timeoutMs: number) {
    try {
      const { BlobServiceClient } = await import('@azure/storage-blob');
      const c = BlobServiceClient.fromConnectionString(this.conn, { retryOptions: { maxTries: 1 } }).getContainerClient(this.prefix);
      await c.exists({ abortSignal: AbortSignal.timeout(timeoutMs) });
      return 'ok' as const;
    } catch (e) {
      // an answer refusing us (wrong key, no permission) is not an unreachable account
      const status = (e as { statusCode?: unknown }).statusCode;
      return typeof status === 'number' && status !== 503 ? ('refused' as const) : ('unreachable' as const);
    }
  }

  putBlob(name: string, data: Uint8Array, contentType: string) {
    return this.io(async () => {
      const c = await this.containerClient();
      await c.getBlockBlobClient(name).uploadData(data, { blobHTTPHeaders: { blobContentType: contentType } });
    });
  }

  deleteBlob(name: string) {
    return this.io(async () => {
      const c = await this.containerClient();
      await c.getBlockBlobClient(name).deleteIfExists();
    });
  }

  getBlob(name: string) {
    return this.io(async () => {
      const c = await this.containerClient();
      const buf = await c.getBlockBlobClient(name).downloadToBuffer();
      return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    });
  }

  createEntity(table: TableName, e: Entity) {
    return this.io(async () => {
      const t = await this.table(table);
      try {
        await t.createEntity(e);
      } catch (err) {
        if ((err as { statusCode?: number }).statusCode === 409) throw conflict();
        throw err;
      }
    });
  }

  getEntity(table: TableName, partitionKey: string, rowKey: string) {
    return this.io(async () => {
      const t = await this.table(table);
      try {
        const e = await t.getEntity(partitionKey, rowKey);
        return { entity: cleanEntity(e as Record<string, unknown>), etag: String(e.etag) };
      } catch (err) {
        if ((err as { statusCode?: number }).statusCode === 404) return null;
        throw err;
      }
    });
  }

  replaceEntity(table: TableName, e: Entity, etag: string) {
    return this.io(async () => {
      const t = await this.table(table);
      try {
        await t.updateEntity(e, 'Replace', { etag });
      } catch (err) {
        const status = (err as { statusCode?: number }).statusCode;
        if (status === 412 || status === 404) throw changed();
        throw err;
      }
    });
  }

  listEntities(table: TableName, partitionKey?: string) {
    return this.io(async () => {
      const t = await this.table(table);
      const out: Entity[] = [];
      const filter = partitionKey === undefined ? undefined : `PartitionKey eq '${partitionKey.replace(/'/g, "''")}'`;
      for await (const e of t.listEntities({ queryOptions: filter ? { filter } : undefined })) out.push(cleanEntity(e as Record<string, unknown>));
      return out;
    });
  }
}

const conflict = () => new HttpError(409, 'conflict', '记录已存在，请重试', 'entity already exists');
const changed = () => new HttpError(412, 'changed', '记录已被其他请求更新，请重试', 'the entity was changed by another request');

/** Whether a write lost a race (createEntity found the entity there, replaceEntity found another version). */
export function lostRace(e: unknown): boolean {
  return e instanceof HttpError && (e.code === 'conflict' || e.code === 'changed');
}

/** In-process store (`LAND_SURVEY_STORAGE=memory`), for handler tests. */
export class MemoryStore implements Store {
  blobs = new Map<string, Uint8Array>();
  tables = new Map<string, Map<string, Entity>>();
  private etags = new Map<string, number>();
  private writes = 0;

  async ping() {
    return 'ok' as const;
  }

  private t(name: string) {
    let m = this.tables.get(name);
    if (!m) this.tables.set(name, (m = new Map()));
    return m;
  }
  async putBlob(name: string, data: Uint8Array) {
    this.blobs.set(name, new Uint8Array(data));
  }
  async deleteBlob(name: string) {
    this.blobs.delete(name);
  }
  async getBlob(name: string) {
    const b = this.blobs.get(name);
    if (!b) throw new HttpError(404, 'not-found', '存储中找不到该文件', `blob ${name} not found`);
    return b;
  }
  async createEntity(table: TableName, e: Entity) {
    const m = this.t(table);
    const k = `${e.partitionKey}\u0000${e.rowKey}`;
    if (m.has(k)) throw conflict();
    this.write(table, k, e);
  }
  async getEntity(table: TableName, partitionKey: string, rowKey: string) {
    const k = `${partitionKey}\u0000${rowKey}`;
    const e = this.t(table).get(k);
    return e ? { entity: { ...e }, etag: String(this.etags.get(`${table}\u0000${k}`)) } : null;
  }
  async replaceEntity(table: TableName, e: Entity, etag: string) {
    const k = `${e.partitionKey}\u0000${e.rowKey}`;
    if (!this.t(table).has(k) || String(this.etags.get(`${table}\u0000${k}`)) !== etag) throw changed();
    this.write(table, k, e);
  }
  private write(table: string, k: string, e: Entity) {
    this.t(table).set(k, { ...e });
    this.etags.set(`${table}\u0000${k}`, ++this.writes);
  }
  async listEntities(table: TableName, partitionKey?: string) {
    const all = [...this.t(table).values()].map((e) => ({ ...e }));
    const sel = partitionKey === undefined ? all : all.filter((e) => e.partitionKey === partitionKey);
    return sel.sort((a, b) => (a.partitionKey === b.partitionKey ? cmp(a.rowKey, b.rowKey) : cmp(a.partitionKey, b.partitionKey)));
  }
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

let current: { key: string; store: Store } | undefined;

/** The store for the configured connection; 503 with a Chinese message when none is configured. */
export function getStore(): Store {
  const conn = storageConnection();
  if (!conn) {
    throw new HttpError(503, 'storage-not-configured', '未配置存储（LAND_SURVEY_STORAGE 或 AzureWebJobsStorage）', 'no storage connection configured');
  }
  const key = `${storagePrefix()}|${conn}`;
  if (current?.key !== key) current = { key, store: conn === 'memory' ? new MemoryStore() : new AzureStore(conn, storagePrefix()) };
  return current.store;
}

/**
 * Whether a storage call was refused outright (its answer says the entry was not written: a bad
 * request, no permission …), as opposed to an answer that was lost (the account unreachable, a
 * timeout, a 409 after a retry whose first try may have landed, a server error).
 */
function refusedOutright(e: unknown): boolean {
  if (isUnreachable(e)) return false;
  const status = (e as { statusCode?: unknown; status?: unknown } | null)?.statusCode ?? (e as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500 && status !== 408 && status !== 409 && status !== 429;
}

/**
 * Stores a workbook and then its index entry (`index`): when the index entry was refused outright,
 * the blob is removed again, so such a request leaves no file that nothing points to. When the
 * answer was lost the entry may exist: the blob stays (an unreferenced blob is harmless, an entry
 * whose blob is gone would break consolidation).
 */
export async function putIndexed(store: Store, blob: string, data: Uint8Array, contentType: string, index: () => Promise<void>): Promise<void> {
  await store.putBlob(blob, data, contentType);
  try {
    await index();
  } catch (e) {
    if (refusedOutright(e)) await store.deleteBlob(blob).catch(() => undefined);
    throw e;
  }
}

/** Forget the store (tests switch connections). */
export function resetStore(): void {
  current = undefined;
}

/** A row key that sorts by time and never collides between concurrent calls. */
export function timeKey(now = new Date()): string {
  const rand = Math.floor(Math.random() * 0xffffffff).toString(16).padStart(8, '0');
  return `${now.toISOString().replace(/[-:.TZ]/g, '')}-${rand}`;
}
