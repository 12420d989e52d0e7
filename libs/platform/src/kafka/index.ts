/** kafka: the one Kafka layer: client, producer, consumer and admin settings, Nest's transport, topics (docs/kafka.md). */
export * from './kafka-settings';
export * from './nest-transport';
export * from './kafka-logger';
export * from './ensure-topics';
export * from './topic-replication';
