import { EntityManager, In } from 'typeorm';
import { UserView } from '../users/user-view.entity';
import { Group } from './group.entity';
import { Membership, Role } from './membership.entity';

export interface GroupResponse {
  id: string;
  name: string;
  version: number;
  members: { userId: string; displayName: string | null; role: Role }[];
}

/** Renders groups with their members' display names from the user view (one query per table). */
export async function renderGroups(manager: EntityManager, groups: Group[]): Promise<GroupResponse[]> {
  if (groups.length === 0) return [];
  const memberships = await manager.find(Membership, {
    where: { groupId: In(groups.map((g) => g.id)) },
    order: { joinedAt: 'ASC', userId: 'ASC' },
  });
  const users = await manager.find(UserView, { where: { id: In([...new Set(memberships.map((m) => m.userId))]) } });
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

export async function renderGroup(manager: EntityManager, group: Group): Promise<GroupResponse> {
  const [rendered] = await renderGroups(manager, [group]);
  return rendered;
}
