import ArgumentParser

/// Where the PostgreSQL database is: `--postgres-url` over `postgres.url` (config file, `OTPPOOL_POSTGRES_URL`
/// or `…_FILE`, `POSTGRES_URL`).
struct PostgresOptions: ParsableArguments {
    @Option(help: "PostgreSQL URL or conninfo (postgres.url; OTPPOOL_POSTGRES_URL or POSTGRES_URL; `scripts/pg.sh url` prints the local one).")
    var postgresURL: String?

    /// The flags given, as configuration keys.
    var overrides: [String: String?] { ["postgres.url": postgresURL] }
}
