import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery } from '@nestjs/swagger';
import { ApiProblems, openApiSchema } from '@playball/platform/openapi';
import { ZodPipe } from '@playball/platform/http';
import { z } from 'zod';
import { DataSource } from 'typeorm';
import { AuthenticatedUser, CurrentUser } from '../../auth/authenticated-user';
import { JwtAuthGuard } from '../../auth/jwt-auth.guard';
import { Group } from '../group.entity';
import { exampleGroup, groupResponse, renderGroups } from '../group.view';
import { GroupsApi } from '../groups-api.decorator';
import { encodeCursor, ListGroupsQuery, listGroupsQuery, MAX_PAGE_SIZE } from './list-groups.query';

const groupPage = z
  .object({
    groups: z.array(groupResponse),
    next: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page.'),
  })
  .meta({ example: { groups: [exampleGroup], next: null } });
type GroupPage = z.output<typeof groupPage>;

@GroupsApi()
@Controller('groups')
@UseGuards(JwtAuthGuard)
export class ListGroupsController {
  constructor(private readonly db: DataSource) {}

  /** The caller's groups, a page at a time, in id order (UUIDv7: oldest first). */
  @Get()
  @ApiOperation({ summary: 'List the caller’s groups, a page at a time' })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE } })
  @ApiQuery({ name: 'cursor', required: false, schema: { type: 'string' } })
  @ApiOkResponse({
    description: `The caller’s groups, oldest first, at most \`limit\` (≤ ${MAX_PAGE_SIZE}) per page.`,
    schema: openApiSchema(groupPage, 'output'),
  })
  @ApiProblems('REQUEST.INVALID')
  async list(
    @CurrentUser() caller: AuthenticatedUser,
    @Query(new ZodPipe(listGroupsQuery)) query: ListGroupsQuery,
  ): Promise<GroupPage> {
    const builder = this.db.manager
      .createQueryBuilder(Group, 'g')
      .innerJoin('memberships', 'm', 'm.group_id = g.id and m.user_id = :userId', { userId: caller.userId })
      .orderBy('g.id', 'ASC')
      // One more than asked: whether it exists says whether there is a next page.
      .limit(query.limit + 1);
    if (query.cursor) builder.andWhere('g.id > :after', { after: query.cursor });
    const found = await builder.getMany();
    const page = found.slice(0, query.limit);
    return {
      groups: await renderGroups(this.db.manager, page),
      next: found.length > query.limit ? encodeCursor(page[page.length - 1].id) : null,
    };
  }
}
