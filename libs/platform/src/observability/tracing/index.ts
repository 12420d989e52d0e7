export * from './configure-tracing';
export * from './spans';
