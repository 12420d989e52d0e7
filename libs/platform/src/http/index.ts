/** http: the HTTP edge both apps share: problem+json errors, JSON body validation, body limits, log levels, trusted proxies. */
export * from './app-error';
export * from './problem.filter';
export * from './zod-body.pipe';
export * from './configure-http';
export * from './trust-proxy';
export * from './errors';
