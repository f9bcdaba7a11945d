import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Banner } from './banner.entity';
import { BannersAdminController } from './banners-admin.controller';
import { BannersAdminService } from './banners-admin.service';
import { BannersService } from './banners.service';

@Module({
  imports: [TypeOrmModule.forFeature([Banner])],
  controllers: [BannersAdminController],
  providers: [BannersService, BannersAdminService],
  exports: [BannersService],
})
export class BannersModule {}
