export * from './referential-loader';
export * from './catalogue';
export * from './errata';
