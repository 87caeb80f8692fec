export * from './config';
export * from './jwt-secret';
export * from './accrochage-certifiers';
export * from './mailbox';
