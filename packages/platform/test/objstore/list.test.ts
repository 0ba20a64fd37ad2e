import { describe, expect, it } from 'vitest';
import { compareKeys } from '../../src/objstore/key-order';
import { listPage } from '../../src/objstore/store/list';

const utf8Order = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

describe('key order', () => {
  it('is UTF-8 byte order, also where UTF-16 order differs', () => {
    const keys = [
      'b',
      'a',
      'a/',
      'a0',
      '\uffff',
      '😀',
      '\ue000',
      '中',
      'Z',
      '',
      'a/b',
      'ab',
      '\u{10000}',
    ];
    expect([...keys].sort(compareKeys)).toEqual([...keys].sort(utf8Order));
    // JavaScript's own order puts the emoji (a surrogate pair) before U+FFFF; S3 does not.
    expect(['😀', '\uffff'].sort()).toEqual(['😀', '\uffff']);
    expect(['😀', '\uffff'].sort(compareKeys)).toEqual(['\uffff', '😀']);
  });
});

describe('listPage', () => {
  const keys = ['a/1', 'a/2', 'a/3', 'b', 'c/x/1', 'c/y', 'd'].sort(compareKeys);

  /** Follows `last` from page to page, as continuation tokens do. */
  function pages(maxKeys: number, delimiter?: string, prefix = ''): string[][] {
    const out: string[][] = [];
    let after: string | undefined;
    for (;;) {
      const page = listPage(keys, { prefix, delimiter, after, maxKeys });
      out.push([...page.keys, ...page.commonPrefixes].sort(compareKeys));
      if (!page.truncated) return out;
      after = page.last;
    }
  }

  it('rolls up common prefixes, counting each once against max-keys', () => {
    expect(listPage(keys, { prefix: '', delimiter: '/', after: undefined, maxKeys: 1000 })).toEqual(
      {
        keys: ['b', 'd'],
        commonPrefixes: ['a/', 'c/'],
        truncated: false,
        last: 'd',
      },
    );
    expect(pages(1, '/')).toEqual([['a/'], ['b'], ['c/'], ['d']]);
    expect(pages(3, '/')).toEqual([['a/', 'b', 'c/'], ['d']]);
  });

  it('pages through keys without a delimiter, and under a prefix', () => {
    expect(pages(3).flat()).toEqual(keys);
    expect(pages(2, '/', 'c/')).toEqual([['c/x/', 'c/y']]);
    expect(pages(1, undefined, 'a/')).toEqual([['a/1'], ['a/2'], ['a/3']]);
  });

  it('reports truncation only when more remains', () => {
    expect(
      listPage(keys, { prefix: '', delimiter: undefined, after: undefined, maxKeys: keys.length })
        .truncated,
    ).toBe(false);
    expect(
      listPage(keys, {
        prefix: '',
        delimiter: undefined,
        after: undefined,
        maxKeys: keys.length - 1,
      }).truncated,
    ).toBe(true);
    expect(
      listPage(keys, { prefix: '', delimiter: undefined, after: undefined, maxKeys: 0 }).keys,
    ).toEqual([]);
  });
});
