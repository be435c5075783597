import TestSupport
import Testing

@testable import Postgres

@Suite("Connection pool")
struct PoolTests {
    @Test func twoHundredConcurrentTasksShareFourConnections() async throws {
        let application = uniqueName("pool", separator: "_")
        let pool = PostgresPool(
            configuration: .init(connection: TestDatabase.configuration(applicationName: application), maximumConnections: 4)
        )
        let results = try await withThrowingTaskGroup(of: (Int, Int, Int).self) { group in
            for task in 0..<200 {
                group.addTask {
                    try await pool.withTransaction { connection in
                        // Each task samples how many sessions this pool has open on the server right now.
                        let row = try await connection.query(
                            "SELECT $1::bigint * 2 AS doubled, "
                                + "(SELECT count(*) FROM pg_stat_activity WHERE application_name = $2) AS sessions",
                            [task, application]
                        ).single()
                        return (task, try row.decode("doubled", as: Int.self), try row.decode("sessions", as: Int.self))
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 200)
        #expect(results.allSatisfy { $0.1 == $0.0 * 2 })
        let sessions = results.map(\.2)
        #expect(sessions.max()! <= 4)
        #expect(sessions.max()! >= 2, "the load should have needed more than one connection")
        let statistics = pool.statistics
        #expect(statistics.peakOpen <= 4)
        #expect(statistics.open == statistics.idle)
        #expect(statistics.waiting == 0)
        await pool.close()
        #expect(pool.statistics.open == 0)
    }

    @Test func checkoutTimesOutWithARetriableError() async throws {
        let pool = PostgresPool(
            configuration: .init(
                connection: TestDatabase.configuration(),
                maximumConnections: 1,
                checkoutTimeout: .milliseconds(200)
            )
        )
        try await pool.withConnection { _ in
            let start = ContinuousClock.now
            let error = try await #require(throws: PostgresError.self) { try await pool.query("SELECT 1") }
            #expect(error.code == .poolTimeout)
            #expect(error.isRetriable)
            #expect(ContinuousClock.now - start < .seconds(30), "the 200 ms checkout timeout ends the wait; loose bound for loaded CI")
        }
        #expect(pool.statistics.waiting == 0)
        #expect(try await pool.query("SELECT 1 AS one").single().decode("one", as: Int.self) == 1)
        await pool.close()
    }

    @Test func cancelledWaiterLeavesTheQueue() async throws {
        let pool = PostgresPool(configuration: .init(connection: TestDatabase.configuration(), maximumConnections: 1))
        try await pool.withConnection { _ in
            let waiter = Task { try await pool.query("SELECT 1") }
            try await waitUntil("the task waits for a connection", timeout: .seconds(10)) { pool.statistics.waiting == 1 }
            waiter.cancel()
            await #expect(throws: CancellationError.self) { try await waiter.value }
            #expect(pool.statistics.waiting == 0)
        }
        #expect(pool.statistics.open == 1)
        await pool.close()
    }

    /// Waiters are served in order of arrival, except that an urgent one goes ahead of every normal one.
    @Test func urgentWaitersGoAheadOfNormalOnes() async throws {
        let pool = PostgresPool(configuration: .init(connection: TestDatabase.configuration(), maximumConnections: 1))
        let served = ServedOrder()
        var waiters: [Task<Void, any Error>] = []
        try await pool.withConnection { _ in
            for (name, priority) in [("normal 1", PostgresPool.Priority.normal), ("normal 2", .normal), ("urgent 1", .urgent), ("urgent 2", .urgent)] {
                waiters.append(Task {
                    try await PostgresPool.$priority.withValue(priority) {
                        try await pool.withConnection { _ in await served.append(name) }
                    }
                })
                let queued = waiters.count
                try await waitUntil("\(name) waits", timeout: .seconds(10)) { pool.statistics.waiting == queued }
            }
        }
        for waiter in waiters { try await waiter.value }
        #expect(await served.names == ["urgent 1", "urgent 2", "normal 1", "normal 2"])
        await pool.close()
    }

    private actor ServedOrder {
        var names: [String] = []
        func append(_ name: String) { names.append(name) }
    }

    @Test func closedPoolRefusesWork() async throws {
        let pool = PostgresPool(configuration: .init(connection: TestDatabase.configuration(), maximumConnections: 2))
        try await pool.query("SELECT 1")
        await pool.close()
        let error = try await #require(throws: PostgresError.self) { try await pool.query("SELECT 1") }
        #expect(error.code == .poolClosed)
    }

    @Test func connectionLeftInATransactionIsNotReused() async throws {
        let pool = PostgresPool(configuration: .init(connection: TestDatabase.configuration(), maximumConnections: 1))
        let first = try await pool.withConnection { connection in
            try await connection.query("BEGIN")
            return connection.backendPID
        }
        let second = try await pool.withConnection { connection in
            try await connection.query("SELECT 1")
            return connection.backendPID
        }
        #expect(first != second)
        await pool.close()
    }
}
