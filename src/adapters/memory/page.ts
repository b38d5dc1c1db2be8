import type { Page } from "../../ports/entity-repository.js"

/** The page `query` asks for of rows already filtered and sorted, each turned into what the port answers. */
export const pageOf = <Row, A>(
  rows: ReadonlyArray<Row>,
  query: { readonly offset: number; readonly limit: number },
  toItem: (row: Row) => A
): Page<A> => ({
  items: rows.slice(query.offset, query.offset + query.limit).map(toItem),
  total: rows.length,
  limit: query.limit,
  offset: query.offset
})
