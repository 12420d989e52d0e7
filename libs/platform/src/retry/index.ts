/** retry: which failures a retry can fix (transient errors) and how long to wait between attempts (backoff). */
export * from './backoff';
export * from './transient-error';
