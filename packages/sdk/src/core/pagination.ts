/** One page of a list, as every list operation of the platform returns it. */
export interface Page<T> {
  data: T[];
  /** Pass as `cursor` to get the next page; `null` on the last page. */
  nextCursor: string | null;
}

/**
 * What list methods return: await it for the first page, or iterate it with `for await`
 * to walk every item across pages (each page is fetched when the previous one runs out).
 *
 * @example
 * const first = await client.instances.list({ limit: 20 }); // first.data, first.nextCursor
 * for await (const instance of client.instances.list()) console.log(instance.id);
 * for await (const page of client.instances.list().pages()) console.log(page.data.length);
 * const all = await client.instances.list().toArray({ max: 500 });
 */
export class PagePromise<T> implements PromiseLike<Page<T>>, AsyncIterable<T> {
  #first: Promise<Page<T>> | undefined;
  readonly #fetchPage: (cursor: string | undefined) => Promise<Page<T>>;
  readonly #cursor: string | undefined;

  constructor(fetchPage: (cursor: string | undefined) => Promise<Page<T>>, cursor?: string) {
    this.#fetchPage = fetchPage;
    this.#cursor = cursor;
  }

  // biome-ignore lint/suspicious/noThenProperty: a PagePromise is meant to be awaited.
  then<A = Page<T>, B = never>(
    onFulfilled?: ((page: Page<T>) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    this.#first ??= this.#fetchPage(this.#cursor);
    return this.#first.then(onFulfilled, onRejected);
  }

  /** Every page in turn, starting with this one. */
  async *pages(): AsyncGenerator<Page<T>> {
    let page: Page<T> = await (this as PromiseLike<Page<T>>);
    const seen = new Set<string>();
    yield page;
    while (page.nextCursor && !seen.has(page.nextCursor)) {
      seen.add(page.nextCursor);
      page = await this.#fetchPage(page.nextCursor);
      yield page;
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for await (const page of this.pages()) yield* page.data;
  }

  /** Collects items across pages, stopping at `max` (required, so a huge list cannot surprise you). */
  async toArray({ max }: { max: number }): Promise<T[]> {
    const items: T[] = [];
    for await (const item of this) {
      if (items.length >= max) break;
      items.push(item);
    }
    return items;
  }
}

/**
 * Builds a `PagePromise` over a list call: `fetchPage` gets the caller's query with the
 * cursor of the page to fetch (the caller's own `cursor`, if any, starts the walk).
 */
export function paginate<T, Q extends { cursor?: string | undefined }>(
  query: Q,
  fetchPage: (query: Q) => Promise<{ data: Page<T> }>,
): PagePromise<T> {
  return new PagePromise(
    (cursor) => fetchPage({ ...query, cursor }).then((r) => r.data),
    query.cursor,
  );
}
