import { DynamicModule, Module } from '@nestjs/common';
import { AddMemberController } from './add-member/add-member.controller';
import { AddMemberService } from './add-member/add-member.service';
import { CreateGroupController } from './create-group/create-group.controller';
import { CreateGroupService } from './create-group/create-group.service';
import { DeleteGroupController } from './delete-group/delete-group.controller';
import { DeleteGroupService } from './delete-group/delete-group.service';
import { GROUP_QUOTAS, GroupQuotas } from './group-quotas';
import { GetGroupController } from './get-group/get-group.controller';
import { ListGroupsController } from './list-groups/list-groups.controller';
import { RemoveMemberController } from './remove-member/remove-member.controller';
import { RemoveMemberService } from './remove-member/remove-member.service';
import { RenameGroupController } from './rename-group/rename-group.controller';
import { RenameGroupService } from './rename-group/rename-group.service';

@Module({})
export class GroupsModule {
  static forRoot(quotas: GroupQuotas): DynamicModule {
    return {
      module: GroupsModule,
      controllers: [
        CreateGroupController,
        ListGroupsController,
        GetGroupController,
        RenameGroupController,
        DeleteGroupController,
        AddMemberController,
        RemoveMemberController,
      ],
      providers: [
        { provide: GROUP_QUOTAS, useValue: quotas },
        CreateGroupService,
        RenameGroupService,
        DeleteGroupService,
        AddMemberService,
        RemoveMemberService,
      ],
      exports: [RemoveMemberService],
    };
  }
}
