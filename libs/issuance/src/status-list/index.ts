export * from './bitstring';
export * from './status-list-credential';
export * from './status-list-signer';
export * from './status-list-publisher';
export * from './status-list.projection';
export * from './status-lists';
