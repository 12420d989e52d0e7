import { EntityManager, FindOperator, Raw } from 'typeorm';
import { z } from 'zod';
import { UserView } from '../users/user-view.entity';
import { Group } from './group.entity';
import { Membership } from './membership.entity';

/** A group as every group route answers with it, for the documents' examples. */
export const exampleGroup = {
  id: '019ac1b2-0f3a-7c44-8d21-5e6f7a8b9c0d',
  name: 'Five-a-side',
  version: 2,
  members: [
    { userId: '019ac1a8-5c3e-7b51-9a8e-2f4d6c1e0b7a', displayName: 'Ada Lovelace', role: 'admin' },
    { userId: '019ac1a9-1d2e-7f30-b4c5-6a7b8c9d0e1f', displayName: 'Bob', role: 'member' },
  ],
};

/** What every group route answers with; also its OpenAPI schema. */
export const groupResponse = z
  .object({
    id: z.uuid(),
    name: z.string(),
    version: z.number().int().describe('Bumped by every change; send it back in If-Match.'),
    members: z.array(
      z.object({
        userId: z.uuid(),
        displayName: z.string().nullable().describe('From the user view; null while it has not caught up.'),
        role: z.enum(['admin', 'member']),
      }),
    ),
  })
  .meta({ example: exampleGroup });
export type GroupResponse = z.output<typeof groupResponse>;

/** Renders groups with their members' display names from the user view (one query per table). */
export async function renderGroups(manager: EntityManager, groups: Group[]): Promise<GroupResponse[]> {
  if (groups.length === 0) return [];
  return renderWithMembers(
    manager,
    groups,
    await membershipsOf(
      manager,
      groups.map((g) => g.id),
    ),
  );
}

/** The memberships of these groups, in the order answers list members. */
export function membershipsOf(manager: EntityManager, groupIds: string[]): Promise<Membership[]> {
  return manager.find(Membership, {
    where: { groupId: anyOf(groupIds) },
    order: { joinedAt: 'ASC', userId: 'ASC' },
  });
}

/**
 * `= ANY($1)` with the list as one array parameter, where TypeORM's `In` writes `IN ($1, …, $n)`:
 * one statement text for every list length, so a connection prepares it once (prepared-statements.ts
 * keeps at most 100 names, and a text per member count would fill them).
 */
function anyOf(ids: string[]): FindOperator<string> {
  // Its own parameter name, so that two in one query never bind each other's list; TypeORM writes
  // it as $n, so the statement text does not depend on it.
  const name = `any_of_${++anyOfCount}`;
  return Raw((column) => `${column} = ANY(:${name})`, { [name]: ids });
}
let anyOfCount = 0;

/** Renders groups whose memberships (`membershipsOf`) the caller has already read. */
export async function renderWithMembers(
  manager: EntityManager,
  groups: Group[],
  memberships: Membership[],
): Promise<GroupResponse[]> {
  const users = await manager.find(UserView, { where: { id: anyOf([...new Set(memberships.map((m) => m.userId))]) } });
  const names = new Map(users.map((u) => [u.id, u.displayName]));
  return groups.map((group) => ({
    id: group.id,
    name: group.name,
    version: group.version,
    members: memberships
      .filter((m) => m.groupId === group.id)
      .map((m) => ({ userId: m.userId, displayName: names.get(m.userId) ?? null, role: m.role })),
  }));
}

/** The group as stored: read back, so an answer never shows what a request sent but the row does not hold. */
export async function renderGroup(manager: EntityManager, group: Group): Promise<GroupResponse> {
  const [rendered] = await renderGroups(manager, [await manager.findOneByOrFail(Group, { id: group.id })]);
  return rendered;
}
