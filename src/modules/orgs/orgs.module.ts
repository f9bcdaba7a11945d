import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrgMember } from './org-member.entity';
import { Org } from './org.entity';
import { OrgsService } from './orgs.service';

@Module({
  imports: [TypeOrmModule.forFeature([Org, OrgMember])],
  providers: [OrgsService],
  exports: [OrgsService],
})
export class OrgsModule {}
