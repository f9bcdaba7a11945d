import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { AppConfig } from 'src/config/app-config';
import { randomToken, sha256Hex } from 'src/common/crypto/hashing';
import { AuthToken } from './auth-token.entity';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Sliding expiry is written at most this often per token, so reads do not each cost a write. */
const TOUCH_EVERY_MS = 60 * 1000;

export type TokenSubject = { userId: number } | { operatorId: number };

@Injectable()
export class TokenService {
  constructor(
    @InjectRepository(AuthToken) private readonly tokens: Repository<AuthToken>,
    private readonly config: AppConfig,
  ) {}

  private get ttlMs(): number {
    return this.config.TOKEN_TTL_DAYS * DAY_MS;
  }

  /** Issues a new token; only its hash is stored. Pass `manager` to issue inside a transaction. */
  async issue(subject: TokenSubject, manager?: EntityManager): Promise<string> {
    const token = randomToken(32);
    const now = new Date();
    const repo = manager ? manager.getRepository(AuthToken) : this.tokens;
    await repo.insert({
      tokenHash: sha256Hex(token),
      userId: 'userId' in subject ? subject.userId : null,
      operatorId: 'operatorId' in subject ? subject.operatorId : null,
      expiresAt: new Date(now.getTime() + this.ttlMs),
      lastUsedAt: now,
    });
    return token;
  }

  /** Finds a live token with its account, sliding its expiry forward. */
  async resolve(token: string): Promise<AuthToken | null> {
    // `find`, not `findOne`: with joined relations `findOne`'s LIMIT makes TypeORM send a DISTINCT id query first,
    // a second round trip on every request, although these to-one joins can only give the one row.
    const [row] = await this.tokens.find({
      where: { tokenHash: sha256Hex(token) },
      relations: { user: { hospital: true }, operator: true },
    });
    if (!row) return null;
    const now = Date.now();
    if (row.expiresAt.getTime() <= now) {
      await this.tokens.delete({ id: row.id });
      return null;
    }
    if (now - row.lastUsedAt.getTime() > TOUCH_EVERY_MS) {
      await this.tokens.update(
        { id: row.id },
        { lastUsedAt: new Date(now), expiresAt: new Date(now + this.ttlMs) },
      );
    }
    return row;
  }

  async revoke(tokenId: string): Promise<void> {
    await this.tokens.delete({ id: tokenId });
  }

  async revokeAllOfUser(userId: number, manager?: EntityManager): Promise<void> {
    await (manager ? manager.getRepository(AuthToken) : this.tokens).delete({ userId });
  }
}
