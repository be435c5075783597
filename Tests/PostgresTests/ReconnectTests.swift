import Foundation
import TestSupport
import Testing

@testable import Postgres

@Suite("Reconnect after the server drops connections")
struct ReconnectTests {
    /// Terminates every backend of one application name, as a server restart would, and waits until gone.
    private func terminateBackends(of application: String) async throws -> Int {
        let admin = try await TestDatabase.connect()
        defer { Task { await admin.close() } }
        let terminated = try await admin.query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", [application]
        ).count
        try await waitUntil("the terminated backends are gone", timeout: .seconds(10)) {
            try await admin.query(
                "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1", [application]
            ).single().decode("n", as: Int.self) == 0
        }
        return terminated
    }

    @Test func poolReplacesConnectionsTheServerTerminated() async throws {
        let application = uniqueName("reconnect", separator: "_")
        let pool = PostgresPool(
            configuration: .init(connection: TestDatabase.configuration(applicationName: application), maximumConnections: 3)
        )
        let before = try await backendPIDs(pool, tasks: 12)
        #expect(before.count >= 2)
        #expect(try await terminateBackends(of: application) == pool.statistics.open)

        let after = try await backendPIDs(pool, tasks: 12)
        #expect(!after.isEmpty)
        #expect(after.isDisjoint(with: before))
        #expect(pool.statistics.open <= 3)
        await pool.close()
    }

    @Test func statementOnALostConnectionIsRetriableAndThePoolRecovers() async throws {
        let application = uniqueName("lost", separator: "_")
        let pool = PostgresPool(
            configuration: .init(connection: TestDatabase.configuration(applicationName: application), maximumConnections: 1)
        )
        let error = try await #require(throws: PostgresError.self) {
            try await pool.withConnection { connection in
                try await connection.query("SELECT 1")
                _ = try await terminateBackends(of: application)
                try await connection.query("SELECT 1")
            }
        }
        #expect(error.code == .connectionLost)
        #expect(error.isRetriable)
        #expect(error.message.contains("run the work again"))
        // The broken connection was discarded; the next checkout gets a working one.
        #expect(try await pool.query("SELECT 2 AS two").single().decode("two", as: Int.self) == 2)
        await pool.close()
    }

    @Test func poolSurvivesARealServerRestart() async throws {
        let cluster = PrivateCluster()
        let url = try await cluster.start()
        do {
            try await restartScenario(url: url, cluster: cluster)
        } catch {
            await cluster.stop()
            throw error
        }
        await cluster.stop()
    }

    private func restartScenario(url: String, cluster: PrivateCluster) async throws {
        let pool = PostgresPool(configuration: .init(connection: PostgresConfiguration(url), maximumConnections: 2))
        let before = try await backendPIDs(pool, tasks: 6)
        try await cluster.restart()
        // Idle connections were closed by the restart; checkouts replace them without an error.
        let after = try await backendPIDs(pool, tasks: 6)
        #expect(after.isDisjoint(with: before))
        await pool.close()
    }

    /// Runs overlapping statements so the pool opens several connections; returns the backends used.
    private func backendPIDs(_ pool: PostgresPool, tasks: Int) async throws -> Set<Int32> {
        try await withThrowingTaskGroup(of: Int32.self) { group in
            for _ in 0..<tasks {
                group.addTask {
                    try await pool.withConnection { connection in
                        try await connection.query("SELECT pg_sleep(0.02)")
                        return connection.backendPID
                    }
                }
            }
            return try await group.reduce(into: []) { $0.insert($1) }
        }
    }
}
