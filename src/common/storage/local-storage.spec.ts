import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { validateEnv } from 'src/config/env.schema';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import { LocalStorage } from './local-storage';

jest.mock('node:fs/promises', () => {
  const actual = jest.requireActual<typeof fs>('node:fs/promises');
  return { ...actual, writeFile: jest.fn(actual.writeFile) };
});
const actualWriteFile = jest.requireActual<typeof fs>('node:fs/promises').writeFile;

/** A write that stores the first bytes and then fails, as one does when the disk fills up under it. */
function failingWrite(code: string) {
  (fs.writeFile as jest.Mock).mockImplementationOnce(async (path: string, bytes: Buffer) => {
    await actualWriteFile(path, bytes.subarray(0, 16));
    throw Object.assign(new Error(`${code}: write failed`), { code });
  });
}

/** Every file under `dir`, at any depth. */
const filesUnder = (dir: string) =>
  readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());

describe('LocalStorage.save when a write fails', () => {
  let dir: string;
  let storage: LocalStorage;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'storage-spec-'));
    storage = new LocalStorage(validateEnv({ UPLOAD_DIR: dir }));
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each(['ENOSPC', 'EDQUOT'])(
    '%s is UPLOAD_STORAGE_FULL (507) and leaves no truncated file',
    async (code) => {
      failingWrite(code);
      const saving = storage.save(Buffer.alloc(1024, 1), 'png');
      await expect(saving).rejects.toBeInstanceOf(AppException);
      await expect(saving).rejects.toMatchObject({ code: ErrorCode.UPLOAD_STORAGE_FULL });
      expect(filesUnder(dir)).toHaveLength(0);
    },
  );

  it('another failure is passed on as it is (a 500), also without a truncated file', async () => {
    failingWrite('EIO');
    await expect(storage.save(Buffer.alloc(1024, 1), 'png')).rejects.toMatchObject({ code: 'EIO' });
    expect(filesUnder(dir)).toHaveLength(0);
  });

  it('a write that succeeds keeps the whole file', async () => {
    const url = await storage.save(Buffer.alloc(1024, 1), 'png');
    const [file] = filesUnder(dir);
    expect(url.endsWith(`/${file.name}`)).toBe(true);
    expect((await fs.stat(join(file.parentPath, file.name))).size).toBe(1024);
  });
});
