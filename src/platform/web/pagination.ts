/** A GOV.UK pagination item: a page number with its link, or a gap. */
export type PageLink = { number?: number; href?: string; current?: boolean; ellipsis?: boolean };

/** GOV.UK pagination items: first, last, and the pages either side of the current one, with gaps. */
export function paginationItems(
  page: number,
  totalPages: number,
  hrefFor: (page: number) => string,
): PageLink[] {
  const items: PageLink[] = [];
  let last = 0;
  for (let n = 1; n <= totalPages; n++) {
    if (n === 1 || n === totalPages || Math.abs(n - page) <= 1) {
      if (n - last > 1) items.push({ ellipsis: true });
      items.push({ number: n, href: hrefFor(n), current: n === page });
      last = n;
    }
  }
  return items;
}
