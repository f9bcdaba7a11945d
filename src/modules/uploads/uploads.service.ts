import { Injectable } from '@nestjs/common';
import { fromBuffer } from 'file-type';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import { LocalStorage } from 'src/common/storage/local-storage';

/**
 * Detected by content, never by the name or type the client claims; value = stored extension. An animated PNG
 * (file-type says `apng`) is still a PNG to every viewer, so it is kept as one rather than refused.
 */
const IMAGE_TYPES: Record<string, string> = { jpg: 'jpg', png: 'png', apng: 'png', gif: 'gif', webp: 'webp' };

@Injectable()
export class UploadsService {
  constructor(private readonly storage: LocalStorage) {}

  async saveImage(file: Express.Multer.File | undefined): Promise<{ url: string }> {
    if (!file || file.size === 0) throw new AppException(ErrorCode.UPLOAD_EMPTY);
    const type = await fromBuffer(file.buffer);
    const ext = type && Object.hasOwn(IMAGE_TYPES, type.ext) ? IMAGE_TYPES[type.ext] : undefined;
    if (!ext) throw new AppException(ErrorCode.UPLOAD_NOT_IMAGE);
    return { url: await this.storage.save(file.buffer, ext) };
  }
}
