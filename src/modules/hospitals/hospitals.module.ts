import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RegionsModule } from 'src/modules/regions/regions.module';
import { Hospital } from './hospital.entity';
import { AdminHospitalsController } from './admin-hospitals.controller';
import { HospitalsController } from './hospitals.controller';
import { HospitalsService } from './hospitals.service';

@Module({
  imports: [TypeOrmModule.forFeature([Hospital]), RegionsModule],
  controllers: [HospitalsController, AdminHospitalsController],
  providers: [HospitalsService],
  exports: [HospitalsService],
})
export class HospitalsModule {}
