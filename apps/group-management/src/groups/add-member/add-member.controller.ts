import { Body, Controller, Param, Post, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { ZodPipe } from '@playball/platform';
import { AuthenticatedUser, CurrentUser } from '../../auth/authenticated-user';
import { JwtAuthGuard } from '../../auth/jwt-auth.guard';
import { GroupIdPipe } from '../group-id.pipe';
import { GroupResponse } from '../group.view';
import { AddMemberService } from './add-member.service';

const AddMemberDto = z.strictObject({
  userId: z.uuid().transform((id) => id.toLowerCase()),
  role: z.enum(['admin', 'member']).default('member'),
});
type AddMemberDto = z.output<typeof AddMemberDto>;

@Controller('groups')
@UseGuards(JwtAuthGuard)
export class AddMemberController {
  constructor(private readonly service: AddMemberService) {}

  @Post(':id/members')
  add(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', new GroupIdPipe()) id: string,
    @Body(new ZodPipe(AddMemberDto)) body: AddMemberDto,
  ): Promise<GroupResponse> {
    return this.service.add(caller, id, body.userId, body.role);
  }
}
