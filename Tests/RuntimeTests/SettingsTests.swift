import Foundation
import TestSupport
import Testing

@testable import Runtime

@Suite("Settings: file, environment, flags")
final class SettingsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// This test's files, removed with it.
    private let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName("otppool-settings"))

    init() throws {
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: scratch)
    }

    /// A file holding `text`, in this test's scratch directory.
    func file(_ text: String) throws -> String {
        let path = scratch.appendingPathComponent(uniqueName("settings") + ".yaml").path
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        return path
    }

    static func settings(file: String? = nil, environment: [String: String] = [:], overrides: [String: String] = [:]) async throws -> Settings {
        try Settings(reader: try await SettingsReader.load(file: file, environment: environment, overrides: overrides))
    }

    @Test func theShippedFileHoldsTheDocumentedDefaults() async throws {
        let shipped = try await Self.settings(file: Self.root.appendingPathComponent("config/otppool.yaml").path)
        let builtIn = try await Self.settings()
        #expect(shipped.kafka.brokers == ["127.0.0.1:9092"])
        #expect(shipped.kafka.topicPrefix == builtIn.kafka.topicPrefix)
        #expect(shipped.kafka.partitions == builtIn.kafka.partitions)
        #expect(shipped.worker.policy == builtIn.worker.policy)
        #expect(shipped.worker.group == "otppool-activation")
        #expect(shipped.worker.inFlightPerPartition == 100 && shipped.worker.inFlightTotal == 300)
        #expect(shipped.worker.followUpsPerPartition == 100 && shipped.worker.followUpsTotal == 1_000)
        #expect(shipped.worker.stallTimeout == .seconds(30) && shipped.worker.drainTimeout == .seconds(10))
        #expect(shipped.escalation.group == "otppool-escalation" && shipped.escalation.sweep)
        #expect(shipped.escalation.rules == .standard)
        #expect(shipped.admin.host == "127.0.0.1" && shipped.admin.port == 9464)
        #expect(shipped.logging.level == .info && shipped.logging.format == .text)
        #expect(shipped.cataloguePath == nil)
    }

    @Test func flagsBeatTheEnvironmentWhichBeatsTheFile() async throws {
        let file = try self.file("worker:\n  poll_interval_seconds: 2\n  waiting_window_seconds: 60\n  retry:\n    max_attempts: 6\nadmin:\n  port: 9500\n")
        let settings = try await Self.settings(
            file: file,
            environment: ["OTPPOOL_WORKER_POLL_INTERVAL_SECONDS": "3", "OTPPOOL_WORKER_WAITING_WINDOW_SECONDS": "90", "OTPPOOL_ADMIN_HOST": "0.0.0.0"],
            overrides: ["worker.poll_interval_seconds": "0.5"])
        #expect(settings.worker.policy.pollInterval == .milliseconds(500), "flag")
        #expect(settings.worker.policy.waitingWindow == .seconds(90), "environment")
        #expect(settings.worker.policy.retry.maxAttempts == 6, "file, nested")
        #expect(settings.admin.port == 9500)
        #expect(settings.admin.host == "0.0.0.0")
    }

    @Test func theDatabaseTakesTwoBatchesAtOnceUnlessToldOtherwise() async throws {
        let url = ["OTPPOOL_POSTGRES_URL": "postgresql://otppool@db:5432/otppool"]
        let shipped = try await Self.settings(
            file: Self.root.appendingPathComponent("config/otppool.yaml").path, environment: url
        ).postgres()
        #expect(shipped.poolSize == 8 && shipped.preparedStatements && shipped.batchesInFlight == 2)
        let one = try await Self.settings(environment: url, overrides: ["postgres.batches_in_flight": "1"]).postgres()
        #expect(one.batchesInFlight == 1)
        let none = await #expect(throws: SettingsError.self) {
            try await Self.settings(environment: url, overrides: ["postgres.batches_in_flight": "0"]).postgres()
        }
        #expect(none?.problems.first?.contains("postgres.batches_in_flight") == true)
    }

    @Test func aWorkerKeepsFourThousandRowsUnlessToldOtherwise() async throws {
        let shipped = try await Self.settings(file: Self.root.appendingPathComponent("config/otppool.yaml").path)
        #expect(shipped.worker.cachedActivations == 4_096)
        #expect(shipped.worker.configuration(client: try await shipped.kafka.clientOptions(clientID: "test"), kafka: shipped.kafka).cachedActivations == 4_096)
        let none = try await Self.settings(overrides: ["worker.cached_activations": "0"])
        #expect(none.worker.cachedActivations == 0)
        let negative = await #expect(throws: SettingsError.self) {
            try await Self.settings(overrides: ["worker.cached_activations": "-1"])
        }
        #expect(negative?.problems.first?.contains("worker.cached_activations") == true)
    }

    @Test func followUpsDueWithinAMinuteStayInMemoryUnlessToldToGoThroughTheTiers() async throws {
        let shipped = try await Self.settings(file: Self.root.appendingPathComponent("config/otppool.yaml").path)
        let client = try await shipped.kafka.clientOptions(clientID: "test")
        #expect(shipped.worker.configuration(client: client, kafka: shipped.kafka).localFollowUpHorizon == .seconds(60))
        let unset = try await Self.settings(overrides: [:])
        #expect(unset.worker.configuration(client: client, kafka: unset.kafka).localFollowUpHorizon == .seconds(60))
        let tiers = try await Self.settings(overrides: ["worker.local_followups_horizon_seconds": "0"])
        #expect(tiers.worker.configuration(client: client, kafka: tiers.kafka).localFollowUpHorizon == .zero)
        let negative = await #expect(throws: SettingsError.self) {
            try await Self.settings(overrides: ["worker.local_followups_horizon_seconds": "-5"])
        }
        #expect(negative?.problems.first?.contains("worker.local_followups_horizon_seconds") == true)
    }

    @Test func secretsComeFromTheEnvironmentOrFiles() async throws {
        let secret = try self.file("postgresql://otppool:s3cret@db:5432/otppool\n")
        let password = try self.file("kafka-pass\n")
        let settings = try await Self.settings(environment: [
            "OTPPOOL_POSTGRES_URL_FILE": secret, "OTPPOOL_KAFKA_SASL_PASSWORD_FILE": password,
            "OTPPOOL_KAFKA_PROPERTIES": "security.protocol=SASL_SSL,sasl.mechanisms=PLAIN", "OTPPOOL_KAFKA_BROKERS": "a:9092, b:9092",
        ])
        #expect(try settings.postgres().url == "postgresql://otppool:s3cret@db:5432/otppool")
        #expect(settings.kafka.brokers == ["a:9092", "b:9092"])
        #expect(settings.kafka.properties == [
            "security.protocol": "SASL_SSL", "sasl.mechanisms": "PLAIN", "sasl.password": "kafka-pass",
        ])
        let client = try await settings.kafka.clientOptions(clientID: "test")
        #expect(client.bootstrapServers == ["a:9092", "b:9092"])
    }

    @Test func theConsoleTokenComesFromTheEnvironmentOrAFileAndMustBeLong() async throws {
        #expect(try await Self.settings().admin.consoleToken == nil, "no token: the console is read-only")
        let direct = try await Self.settings(environment: ["OTPPOOL_ADMIN_CONSOLE_TOKEN": "0123456789abcdef0123"])
        #expect(direct.admin.consoleToken == "0123456789abcdef0123")
        let file = try self.file("from-a-file-0123456789\n")
        #expect(try await Self.settings(environment: ["OTPPOOL_ADMIN_CONSOLE_TOKEN_FILE": file]).admin.consoleToken == "from-a-file-0123456789")
        let short = await #expect(throws: SettingsError.self) {
            try await Self.settings(environment: ["OTPPOOL_ADMIN_CONSOLE_TOKEN": "short"])
        }
        #expect(short?.problems == ["admin.console_token is 5 characters; use at least 16 (e.g. `openssl rand -hex 24`)"])
        #expect(short.map { "\($0)" }?.contains("short\"") != true, "the token itself is never in the message")
    }

    @Test func everyProblemIsReportedWithItsKey() async throws {
        let file = try self.file("worker:\n  poll_interval_seconds: -1\n  retry:\n    max_attempts: many\nlogging:\n  format: xml\n")
        let error = await #expect(throws: SettingsError.self) {
            try await Self.settings(
                file: file, environment: ["OTPPOOL_ADMIN_PORT": "notaport"],
                overrides: ["worker.in_flight_per_partition": "0", "kafka.properties": "nonsense"])
        }
        let problems = try #require(error?.problems)
        #expect(problems.count == 6)
        #expect(problems.contains("worker.poll_interval_seconds is -1.0; use a number of seconds above 0 (at most 30 days)"))
        #expect(problems.contains("worker.retry.max_attempts (from the config file): the value is not a whole number"))
        #expect(problems.contains("admin.port (from the environment): the value is not a whole number"))
        #expect(problems.contains("worker.in_flight_per_partition is 0; use a whole number from 1 to 100000"))
        #expect(problems.contains("logging.format is \"xml\"; use one of text, json"))
        #expect(problems.contains { $0.hasPrefix("kafka.properties entry \"nonsense\" must look like name=value") })
    }

    @Test func missingDatabaseAndClusterAreNamedWhenUsed() async throws {
        let settings = try await Self.settings()
        #expect(throws: SettingsError.self) { try settings.postgres() }
        await #expect(throws: SettingsError.self) { try await settings.kafka.clientOptions(clientID: "x") }
        let missingFile = await #expect(throws: SettingsError.self) { try await Self.settings(file: "/nonexistent/otppool.yaml") }
        #expect(missingFile?.problems.first?.hasPrefix("--config /nonexistent/otppool.yaml:") == true)
        let unreadableSecret = await #expect(throws: SettingsError.self) {
            try await Self.settings(environment: ["OTPPOOL_POSTGRES_URL_FILE": "/nonexistent/secret"]).postgres()
        }
        #expect(unreadableSecret?.problems.first?.hasPrefix("postgres.url_file: cannot read /nonexistent/secret") == true)
    }

    @Test func theEnvironmentNameOfAKey() {
        #expect(SettingsReader.environmentName(of: "worker.retry.max_attempts") == "OTPPOOL_WORKER_RETRY_MAX_ATTEMPTS")
    }
}
