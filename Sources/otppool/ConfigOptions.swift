import ArgumentParser
import Foundation
import Kafka
import Logging
import Pool
import Runtime

/// `--config` and `--set`, shared by every command that reads the pool's configuration.
struct ConfigOptions: ParsableArguments {
    @Option(name: .customLong("config"), help: "YAML configuration (default: OTPPOOL_CONFIG); every key is documented in config/otppool.yaml.")
    var file: String?

    @Option(name: .customLong("set"), help: "Set any configuration key, e.g. --set worker.poll_interval_seconds=0.5 (repeatable; wins over everything).")
    var assignments: [String] = []

    /// The settings from the file, the environment, `flags` (`section.key` → value; nil = not given) and `--set`.
    ///
    /// On invalid configuration prints every problem to standard error and exits with code 2.
    func load(_ flags: [String: String?]...) async throws -> Settings {
        var overrides: [String: String] = [:]
        for group in flags {
            for (key, value) in group { if let value { overrides[key] = value } }
        }
        do {
            for assignment in assignments {
                let parts = assignment.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, !parts[0].isEmpty else {
                    throw SettingsError(problems: ["--set \(assignment): use section.key=value, e.g. --set admin.port=9465"])
                }
                overrides[String(parts[0])] = String(parts[1])
            }
            var environment = ProcessInfo.processInfo.environment
            // The names the tests and scripts have always used, below the OTPPOOL_ ones.
            if environment["OTPPOOL_KAFKA_BROKERS"] == nil, let brokers = environment["KAFKA_BROKERS"] { environment["OTPPOOL_KAFKA_BROKERS"] = brokers }
            if environment["OTPPOOL_POSTGRES_URL"] == nil, let url = environment["POSTGRES_URL"] { environment["OTPPOOL_POSTGRES_URL"] = url }
            let reader = try await SettingsReader.load(
                file: file ?? environment["OTPPOOL_CONFIG"], environment: environment, overrides: overrides)
            return try Settings(reader: reader)
        } catch let error as SettingsError {
            FileHandle.standardError.write(Data("otppool: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}

extension Settings {
    /// The Kafka client options for `clientID`; exits with code 2 when no cluster is named.
    func kafkaClient(_ clientID: String) async throws -> KafkaClientOptions {
        do {
            return try await kafka.clientOptions(clientID: clientID)
        } catch let error as SettingsError {
            FileHandle.standardError.write(Data("otppool: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }

    /// Runs `body` with a store over a pool of `connections` (default: `postgres.pool_size`), migrated first
    /// when `migrate`; closes the pool afterwards, whatever happens. `genericPlans`: the sessions run every
    /// statement with its generic plan (``PostgresConfiguration/genericPlans``), for the activation workers.
    ///
    /// Exits with code 2 when `postgres.*` is invalid or missing.
    func withStore<T>(
        applicationName: String, connections: Int? = nil, migrate: Bool = true, genericPlans: Bool = false,
        logger: Logger,
        _ body: (ActivationStore) async throws -> T
    ) async throws -> T {
        var postgres: PostgresSettings
        do {
            postgres = try self.postgres()
        } catch {
            FileHandle.standardError.write(Data("otppool: \(error)\n".utf8))
            throw ExitCode(2)
        }
        if let connections { postgres.poolSize = connections }
        let pool = postgres.makePool(applicationName: applicationName, genericPlans: genericPlans, logger: logger)
        let store = ActivationStore(pool: pool, batchesInFlight: postgres.batchesInFlight, logger: logger)
        do {
            if migrate {
                let applied = try await store.migrate()
                if !applied.isEmpty { logger.info("applied migrations", metadata: ["postgres.migrations": "\(applied.map(\.version))"]) }
            }
            let result = try await body(store)
            await pool.close()
            return result
        } catch {
            await pool.close()
            throw error
        }
    }
}
