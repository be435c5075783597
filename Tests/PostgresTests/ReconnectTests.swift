import Foundation
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
        try await TestDatabase.waitUntil("the terminated backends are gone") {
            try await admin.query(
                "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1", [application]
            ).single().decode("n", as: Int.self) == 0
        }
        return terminated
    }

    @Test func poolReplacesConnectionsTheServerTerminated() async throws {
        let application = TestDatabase.uniqueName("reconnect")
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
        let application = TestDatabase.uniqueName("lost")
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

/// A throwaway cluster from `scripts/pg.sh` on its own port and directory, so restarting it cannot disturb
/// tests using the shared one.
struct PrivateCluster {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(TestDatabase.uniqueName("otppool-pg")).path
    let port = Int.random(in: 55_000..<56_000)
    let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/pg.sh").path

    func start() async throws -> String {
        // stderr is merged into the output; the URL is the last line starting with postgresql://.
        try await run("start").split(separator: "\n").last { $0.hasPrefix("postgresql://") }.map(String.init) ?? ""
    }

    func restart() async throws {
        _ = try await run("restart")
    }

    func stop() async {
        _ = try? await run("stop")
        unlink("\(ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp")/otppool-pg-\(port).lock")
    }

    /// Runs the script on a Dispatch thread: waiting for a process must not block the cooperative pool.
    private func run(_ command: String) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try runBlocking(command) })
            }
        }
    }

    /// Spawns `bash scripts/pg.sh <command>` and waits with `waitpid`. (Foundation's `Process` is avoided:
    /// on Linux its `waitUntilExit` needs a run loop that test threads don't run.)
    private func runBlocking(_ command: String) throws -> String {
        let output = directory + ".\(command).out"
        defer { unlink(output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let arguments = ["/bin/bash", script, command]
        var environment = ProcessInfo.processInfo.environment
        environment["OTP_PG_DIR"] = directory
        environment["OTP_PG_PORT"] = String(port)
        let cArguments = arguments.map { strdup($0) } + [nil]
        let cEnvironment = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (cArguments + cEnvironment).forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, "/bin/bash", &actions, nil, cArguments, cEnvironment)
        guard spawned == 0 else { throw failure(command, "could not start bash (errno \(spawned))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        // Exited normally with status 0: the low 16 bits are all zero.
        guard status & 0xFFFF == 0 else { throw failure(command, String(text.suffix(2000))) }
        return text
    }

    private func failure(_ command: String, _ detail: String) -> PostgresError {
        PostgresError(code: .connectionFailed, message: "scripts/pg.sh \(command) failed: \(detail)")
    }
}
