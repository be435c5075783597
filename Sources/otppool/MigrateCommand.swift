import ArgumentParser
import Foundation
import Runtime
import Logging
import Pool
import Postgres

/// `otppool migrate`: brings the PostgreSQL schema up to date with ``PoolSchema/migrations``.
///
/// Safe to run from several processes at once (the migrator takes an advisory lock), so every worker can
/// run it at start-up.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending PostgreSQL migrations.",
        discussion: "Prints each migration it applies, or \"already up to date\". Logs go to standard error."
    )

    @OptionGroup var postgres: PostgresOptions
    @OptionGroup var config: ConfigOptions

    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let settings = try await config.load(postgres.overrides, logging.overrides)
        let logger = settings.logging.bootstrap("otppool.migrate")
        let url: String
        do {
            url = try settings.postgres().url
        } catch {
            FileHandle.standardError.write(Data("otppool: \(error)\n".utf8))
            throw ExitCode(2)
        }

        let configuration = PostgresConfiguration(url, applicationName: "otppool-migrate")
        logger.info("migrating", metadata: ["postgres.server": "\(configuration.redactedDescription)"])
        let connection = try await PostgresConnection.connect(configuration, logger: logger)
        let applied: [Migration]
        do {
            applied = try await Migrator(migrations: PoolSchema.migrations, logger: logger).migrate(on: connection)
        } catch {
            await connection.close()
            throw error
        }
        await connection.close()

        if applied.isEmpty {
            print("already up to date (version \(PoolSchema.migrations.last?.version ?? 0))")
        }
        for migration in applied {
            print("applied \(migration.version): \(migration.name)")
        }
    }
}
