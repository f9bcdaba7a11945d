import { PartnerCallError } from 'src/integrations/partner-http/partner-call.error';
import { DRF_INVALID_PAGE, FEIQINGSONG_PARTNER, MAX_FOLLOWED_PAGES } from './feiqingsong.client';
import { DrfPage } from './feiqingsong.types';

export type PageFetch<T> = (page: number, pageSize: number) => Promise<DrfPage<T>>;

const isInvalidPage = (e: unknown) => e instanceof PartnerCallError && e.partnerCode === DRF_INVALID_PAGE;

/**
 * Our page (`current_page`, `page_size`) cut from the partner's DRF pages. The partner is asked for pages of our
 * size; when its answer shows it kept a size of its own (lengths that do not add up), the window is assembled
 * from the partner pages that cover it. A page past the end is an empty list, not an error.
 */
export async function pageWindow<T>(
  fetch: PageFetch<T>,
  currentPage: number,
  pageSize: number,
): Promise<{ list: T[]; count: number }> {
  const offset = (currentPage - 1) * pageSize;
  let page: DrfPage<T>;
  try {
    page = await fetch(currentPage, pageSize);
  } catch (e) {
    if (currentPage === 1 || !isInvalidPage(e)) throw e;
    const head = await fetch(1, pageSize);
    if (offset >= head.count) return { list: [], count: head.count };
    return assemble(fetch, offset, pageSize, head.count, partnerSize(head));
  }
  const honoured = page.next
    ? page.results.length === pageSize
    : page.results.length === Math.max(0, page.count - offset) && page.results.length <= pageSize;
  if (honoured) return { list: page.results, count: page.count };
  const size = page.next ? page.results.length : partnerSize(await fetch(1, pageSize));
  return assemble(fetch, offset, pageSize, page.count, size);
}

/** The partner's own page size, from its first page: full when there is a next one, everything otherwise. */
const partnerSize = (head: DrfPage<unknown>) =>
  head.next ? head.results.length : Math.max(head.results.length, 1);

async function assemble<T>(
  fetch: PageFetch<T>,
  offset: number,
  pageSize: number,
  count: number,
  size: number,
): Promise<{ list: T[]; count: number }> {
  const end = Math.min(offset + pageSize, count);
  if (offset >= end) return { list: [], count };
  const first = Math.floor(offset / size) + 1;
  const last = Math.floor((end - 1) / size) + 1;
  if (last - first + 1 > MAX_FOLLOWED_PAGES) {
    throw new PartnerCallError(
      FEIQINGSONG_PARTNER,
      'pageWindow',
      'protocol',
      `page size ${size} needs too many pages`,
    );
  }
  const items: T[] = [];
  for (let p = first; p <= last; p += 1) items.push(...(await fetch(p, size)).results);
  const skip = offset - (first - 1) * size;
  return { list: items.slice(skip, skip + (end - offset)), count };
}
