import { Module } from '@nestjs/common';
import { LocalStorage } from 'src/common/storage/local-storage';
import { ImageUploadInterceptor } from './image-upload.interceptor';
import { UploadsController } from './uploads.controller';
import { UploadsService } from './uploads.service';

@Module({
  controllers: [UploadsController],
  providers: [UploadsService, LocalStorage, ImageUploadInterceptor],
  exports: [LocalStorage],
})
export class UploadsModule {}
