import { z } from 'zod';
import { EventDefinition } from './event-definition';
import { GroupCreated } from './group/group-created.event';
import { GroupDeleted } from './group/group-deleted.event';
import { GroupMemberAdded } from './group/group-member-added.event';
import { GroupMemberRemoved } from './group/group-member-removed.event';
import { GroupMemberRoleChanged } from './group/group-member-role-changed.event';
import { GroupRenamed } from './group/group-renamed.event';
import { UserDeleted } from './user/user-deleted.event';
import { UserRegistered } from './user/user-registered.event';
import { UserUpdated } from './user/user-updated.event';

/** Every event of the contract. Adding an event is one file plus one line here. */
export const Events = [
  UserRegistered,
  UserUpdated,
  UserDeleted,
  GroupCreated,
  GroupRenamed,
  GroupDeleted,
  GroupMemberAdded,
  GroupMemberRemoved,
  GroupMemberRoleChanged,
] as const;

type AnyEvent = (typeof Events)[number];

/** Event type → payload. `outbox.add(manager, type, data)` with a wrong payload does not compile. */
export type EventMap = { [E in AnyEvent as E['type']]: z.output<E['schema']> };
export type EventType = keyof EventMap;

const byType = new Map<string, EventDefinition>(Events.map((e) => [e.type, e as unknown as EventDefinition]));

export function eventDefinition<K extends EventType>(type: K): EventDefinition<K, z.ZodType<EventMap[K]>>;
export function eventDefinition(type: string): EventDefinition | undefined;
export function eventDefinition(type: string): EventDefinition | undefined {
  return byType.get(type);
}
