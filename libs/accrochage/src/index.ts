export * from './flux-xml';
export * from './accrochage-declarations';
