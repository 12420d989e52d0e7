import { EntityManager } from 'typeorm';
import { RemoveMemberService } from '../../../group-management/src/groups/remove-member/remove-member.service';
import { notifyChanged } from '../../../group-management/src/users/user-view.service';

export interface SwitchResult {
  inserted: number;
  updated: number;
  deleted: number;
  /** Deleted users who were still members of groups, removed from them now (with the groups' events). */
  membersRemoved: number;
}

/**
 * Makes the view equal the rebuilt one, in the caller's transaction, with the view locked against
 * the live consumer (taken before the last read of the topic, so the view holds nothing the shadow
 * has not seen):
 * 1. a user the shadow knows at a newer version, or at the same version with other contents, takes
 *    the shadow's state (a deletion included), keeping the greater credentials version, as the
 *    consumer does;
 * 2. a live user the topic does not have live (compacted away after its deletion, a tombstone whose
 *    `deleted` event is gone, or never there) becomes a tombstone;
 * 3. every deleted user still in a group leaves it as the consumer would on `user.deleted`: the
 *    consumer will see those events again and change nothing, so this is their one chance.
 * A view row ahead of the shadow is left as it is: the live consumer got there first.
 */
export async function switchOver(manager: EntityManager): Promise<SwitchResult> {
  const upserted = (await manager.query(
    `insert into users as v (id, display_name, version, credentials_version, deleted_at)
     select id, case when deleted then null else display_name end, version, credentials_version,
            case when deleted then now() end
       from users_rebuild where version is not null
     on conflict (id) do update
        set display_name = excluded.display_name, version = excluded.version,
            credentials_version = greatest(v.credentials_version, excluded.credentials_version),
            deleted_at = excluded.deleted_at
      where v.version < excluded.version
         or (v.version = excluded.version
             and (v.display_name is distinct from excluded.display_name
                  or v.credentials_version < excluded.credentials_version or (v.deleted_at is null) <> (excluded.deleted_at is null)))
     returning id, version, deleted_at is not null as deleted, (xmax = 0) as inserted`,
  )) as { id: string; version: number; deleted: boolean; inserted: boolean }[];
  // Read through a SELECT: TypeORM answers a bare UPDATE with [rows, affected count], not the rows.
  const tombstoned = (await manager.query(
    `with tombstoned as (
       update users v set deleted_at = now(), display_name = null
        where v.deleted_at is null
          and not exists (select 1 from users_rebuild s where s.id = v.id and not s.deleted)
        returning id, version)
     select id, version from tombstoned`,
  )) as { id: string; version: number }[];
  await notifyChanged(manager, [...upserted, ...tombstoned]);
  const orphans = (
    (await manager.query(
      `select distinct m.user_id as id from memberships m join users u on u.id = m.user_id
        where u.deleted_at is not null order by m.user_id`,
    )) as { id: string }[]
  ).map((r) => r.id);
  const members = new RemoveMemberService(manager.connection);
  // All of a deleted user's memberships go in this transaction (it holds the view locked anyway),
  // a batch of 1,000 at a time: the consumer's bounded batches exist to keep its partition moving.
  const batchSize = 1_000;
  await members.lockGroupsOf(manager, orphans, batchSize);
  for (const userId of orphans) {
    let more = true;
    while (more) more = await members.removeDeletedUser(manager, userId, batchSize);
  }
  return {
    inserted: upserted.filter((u) => u.inserted).length,
    updated: upserted.filter((u) => !u.inserted && !u.deleted).length,
    deleted: upserted.filter((u) => !u.inserted && u.deleted).length + tombstoned.length,
    membersRemoved: orphans.length,
  };
}
