export * from './runtime.module';
export * from './referential-resolver.service';
export * from './transfer-completion';
export * from './process-liveness';
