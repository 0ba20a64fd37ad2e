/**
 * A response body already serialised as JSON; the app's reply serializer sends its text as
 * is (see `app.ts`). `T` names the contract shape the text holds.
 */
export class JsonText<T = unknown> {
  declare readonly shape?: T;
  constructor(readonly text: string) {}
}

/**
 * The text of a contract list page, `{"data":[…],"nextCursor":…}`, from its items' JSON
 * already joined with commas.
 */
export function jsonPage<T>(items: string, nextCursor: string | null): JsonText<T> {
  return new JsonText(
    `{"data":[${items}],"nextCursor":${nextCursor === null ? 'null' : JSON.stringify(nextCursor)}}`,
  );
}
