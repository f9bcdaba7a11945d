import { Brackets } from 'typeorm';
import { idnoHash, personalData } from 'src/common/crypto/personal-data';
import { containsPattern } from 'src/common/database/query-helpers';

/**
 * A keyword filter on accounts (alias `u`): the name contains it, or the phone contains it, or (with `byIdno`) it
 * is the whole ID number. Phones and ID numbers are sealed, so these go through their keyed hashes: a phone
 * fragment needs PHONE_FRAGMENT_MIN digits or more, an ID number matches only whole.
 */
export function accountKeyword(keyword: string, options: { byIdno?: boolean } = {}): Brackets {
  const phoneToken = personalData().phoneFragmentToken(keyword);
  return new Brackets((w) => {
    w.where('u.real_name ILIKE :keywordLike', { keywordLike: containsPattern(keyword) });
    if (phoneToken) w.orWhere('u.phone_search @> ARRAY[:phoneToken]::text[]', { phoneToken });
    if (options.byIdno) w.orWhere('u.idno_hash = :idnoHash', { idnoHash: idnoHash(keyword.toUpperCase()) });
  });
}
