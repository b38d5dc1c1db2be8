/**
 * Connections per pool when none is given (DATABASE_POOL_SIZE's default), per thread. On two cores
 * shared with PostgreSQL, 10 resource writes at once (the admission follows the pool) answered
 * about 14% more creates and patches than 20, and the raw outbound part took 11.4 and 11.5 s
 * against 13.1 and 13.3 (bench/HISTORY.md, 12-07): past what the cores run side by side, more
 * backends only take turns, and every write waiting on one holds what it built.
 */
export const defaultPoolSize = 10
