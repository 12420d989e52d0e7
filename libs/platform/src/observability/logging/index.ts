export * from './log-context';
export * from './logger';
export * from './pretty';
export * from './event-fields';
