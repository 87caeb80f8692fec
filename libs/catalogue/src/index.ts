export * from './referential-loader';
