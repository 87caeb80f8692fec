export const APP_CONFIG = Symbol('APP_CONFIG');
export const STORAGE = Symbol('STORAGE');
/** Every issuer of this instance (ConfiguredIssuers: the default one, each certifier issuing as itself), read from the configuration at start-up. */
export const ISSUERS = Symbol('ISSUERS');
export const EVENT_STORE = Symbol('EVENT_STORE');
export const DOCUMENT_STORAGE = Symbol('DOCUMENT_STORAGE');
/** How status lists are signed, and by which issuer (StatusListSigner): one provider, to rewire onto a key ring. */
export const STATUS_LIST_SIGNER = Symbol('STATUS_LIST_SIGNER');
/** The SQL database of the read models and the service's own tables (keys, read log, idempotency). */
export const SQL_DB = Symbol('SQL_DB');
export type { SqlDb } from '@jalon/event-store';
