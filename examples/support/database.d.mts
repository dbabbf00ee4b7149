// Types of database.mjs, for the TypeScript examples (NestJS).

/** An in-memory PostgreSQL (PGlite) served on 127.0.0.1, with the examples' shop tables. */
export interface RunningPostgres {
  /** `postgresql://postgres@127.0.0.1:<port>/postgres`, for `new pg.Pool({ connectionString })`. */
  connectionString: string;
  stop(): Promise<void>;
}

export function startPostgres(): Promise<RunningPostgres>;

/** The PostgreSQL at `DATABASE_URL` when that is set, else a new one from `startPostgres()`. */
export function openPostgres(): Promise<RunningPostgres>;
