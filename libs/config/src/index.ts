export * from './config';
export * from './jwt-secret';
export * from './certifiers';
export * from './mailbox';
