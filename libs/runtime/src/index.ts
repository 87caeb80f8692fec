export * from './runtime.module';
export * from './referential-resolver.service';
export * from './transfer-completion';
export * from './stream-command-handlers';
export * from './process-liveness';
export * from './service-logger';
