import { ArgumentMetadata } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import { ToArray, ToInt, Trim } from './transforms';
import { createValidationPipe } from './validation';

class Sample {
  @ToArray()
  photo?: unknown;

  @ToInt()
  count?: unknown;

  @Trim()
  name?: unknown;
}
const make = (plain: Record<string, unknown>) => plainToInstance(Sample, plain);

describe('ToArray', () => {
  it('keeps a JSON array (and repeated a[]= keys, which arrive as one) as is', () => {
    expect(make({ photo: ['a.png', 'b.png'] }).photo).toEqual(['a.png', 'b.png']);
    expect(make({ photo: [] }).photo).toEqual([]);
  });

  it('parses a JSON string of an array', () => {
    expect(make({ photo: '["a.png","b.png"]' }).photo).toEqual(['a.png', 'b.png']);
    expect(make({ photo: '  [1, 2]  ' }).photo).toEqual([1, 2]);
    expect(make({ photo: '[]' }).photo).toEqual([]);
  });

  it('wraps a single value', () => {
    expect(make({ photo: 'http://files.test/uploads/202401/a.png' }).photo).toEqual([
      'http://files.test/uploads/202401/a.png',
    ]);
    expect(make({ photo: ' a.png ' }).photo).toEqual(['a.png']);
  });

  it('turns an empty string into an empty list', () => {
    expect(make({ photo: '' }).photo).toEqual([]);
    expect(make({ photo: '   ' }).photo).toEqual([]);
  });

  it('leaves broken JSON and non-strings for the validators', () => {
    expect(make({ photo: '[a.png' }).photo).toBe('[a.png');
    expect(make({ photo: 5 }).photo).toBe(5);
    expect(make({ photo: { a: 1 } }).photo).toEqual({ a: 1 });
    expect(make({}).photo).toBeUndefined();
    expect(make({ photo: null }).photo).toBeNull();
  });
});

describe('ToInt', () => {
  it('reads integers from text, trimming spaces', () => {
    expect(make({ count: '42' }).count).toBe(42);
    expect(make({ count: ' 7 ' }).count).toBe(7);
    expect(make({ count: '-3' }).count).toBe(-3);
    expect(make({ count: '007' }).count).toBe(7);
  });

  it('keeps numbers as they are', () => {
    expect(make({ count: 5 }).count).toBe(5);
    expect(make({ count: 1.5 }).count).toBe(1.5);
  });

  it('leaves non-integer text (and the empty string) as text so @IsInt refuses it', () => {
    for (const v of ['', 'abc', '1.5', '1e3', '0x10', '12abc', '+']) expect(make({ count: v }).count).toBe(v);
  });

  it('leaves arrays to the validators', () => {
    expect(make({ count: ['1', '2'] }).count).toEqual(['1', '2']);
  });
});

describe('Trim', () => {
  it('trims strings only', () => {
    expect(make({ name: '  成都市 ' }).name).toBe('成都市');
    expect(make({ name: 3 }).name).toBe(3);
  });
});

describe('the transforms inside the global validation pipe', () => {
  class Query {
    @IsOptional()
    @ToInt()
    @IsInt({ message: '数量必须是整数' })
    @Min(1)
    @Max(10)
    count: number = 1;

    @IsOptional()
    @ToArray()
    @IsArray({ message: '图片必须是数组' })
    @ArrayMaxSize(3, { message: '图片最多 3 张' })
    @IsString({ each: true, message: '图片地址必须是文本' })
    photo?: string[];
  }
  const pipe = createValidationPipe();
  const meta: ArgumentMetadata = { type: 'body', metatype: Query };
  const run = (value: Record<string, unknown>) => pipe.transform(value, meta) as Promise<Query>;
  const failure = async (value: Record<string, unknown>) => {
    const err = await run(value).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppException);
    const app = err as AppException;
    expect(app.code).toBe(ErrorCode.VALIDATION_FAILED);
    return app;
  };

  it('converts form text and JSON strings into typed values', async () => {
    const q = await run({ count: '3', photo: '["a.png","b.png"]', extra: 'dropped' });
    expect(q).toBeInstanceOf(Query);
    expect(q.count).toBe(3);
    expect(q.photo).toEqual(['a.png', 'b.png']);
    expect((q as unknown as Record<string, unknown>).extra).toBeUndefined();
  });

  it('keeps defaults for absent fields', async () => {
    expect((await run({})).count).toBe(1);
  });

  it('names the field of the first failure', async () => {
    const bad = await failure({ count: 'abc' });
    expect(bad.data).toEqual({ field: 'count' });
    expect(bad.message).toContain('count');

    const tooMany = await failure({ photo: '["a","b","c","d"]' });
    expect(tooMany.data).toEqual({ field: 'photo' });
    expect(tooMany.message).toContain('图片最多 3 张');
  });

  it('an empty string for an integer is refused, not silently turned into 0 or the default', async () => {
    expect((await failure({ count: '' })).data).toEqual({ field: 'count' });
  });

  it("replaces class-validator's English default messages with Chinese text", async () => {
    const err = await failure({ count: '50' });
    expect(err.message).toMatch(/^参数 count 不正确：/);
    expect(err.message).not.toMatch(/must|should|greater|less/);
  });
});
