export const APP_CONFIG = Symbol('APP_CONFIG');
export const STORAGE = Symbol('STORAGE');
export const EVENT_STORE = Symbol('EVENT_STORE');
export const DOCUMENT_STORAGE = Symbol('DOCUMENT_STORAGE');
export const ISSUER_KEY = Symbol('ISSUER_KEY');
