export * from './position';
export * from './event-store.port';
export * from './sql/database';
export * from './sql/migrations';
export * from './sql/sql-event-store';
export * from './eventstoredb/eventstoredb-event-store';
export * from './command-handler';
export * from './open-storage';
