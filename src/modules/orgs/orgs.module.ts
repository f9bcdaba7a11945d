import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminOrgsController } from './admin-orgs.controller';
import { OrgMember } from './org-member.entity';
import { OrgMembersService } from './org-members.service';
import { Org } from './org.entity';
import { OrgsController } from './orgs.controller';
import { OrgsService } from './orgs.service';

@Module({
  imports: [TypeOrmModule.forFeature([Org, OrgMember])],
  controllers: [OrgsController, AdminOrgsController],
  providers: [OrgsService, OrgMembersService],
  exports: [OrgsService],
})
export class OrgsModule {}
