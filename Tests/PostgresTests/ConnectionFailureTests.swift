import TestSupport
import Testing

@testable import Postgres

@Suite("Connection failures are clear and bounded in time")
struct ConnectionFailureTests {
    private func connectError(_ connectionString: String) async throws -> (PostgresError, Duration) {
        let start = ContinuousClock.now
        let error = try await #require(throws: PostgresError.self) {
            try await PostgresConnection.connect(PostgresConfiguration(connectionString, connectTimeout: .seconds(2)))
        }
        return (error, ContinuousClock.now - start)
    }

    @Test(arguments: [
        "postgresql://postgres@127.0.0.1:notaport/otppool", "host=127.0.0.1 port", "postgres://x?nonsense=1",
        "postgresql://postgres@127.0.0.1:54329/otppool?sslmode=sometimes",
    ])
    func malformedConnectionStringFailsAtOnce(_ connectionString: String) async throws {
        let (error, elapsed) = try await connectError(connectionString)
        // The code shows libpq refused the string itself (no server was tried); the time bound is generous
        // because a loaded 2-core CI machine running every suite at once can delay any task by seconds.
        #expect(error.code == .invalidConfiguration)
        #expect(error.message.contains("postgresql://user@host:port/database") || error.message.contains("invalid option value"))
        #expect(elapsed < .seconds(60), "no server was tried; the bound only guards against a hang")
    }

    @Test func unreachablePortFailsWithinSeconds() async throws {
        let (error, elapsed) = try await connectError("postgresql://postgres:s3cret@127.0.0.1:1/otppool")
        #expect(error.code == .connectionFailed)
        #expect(error.isRetriable)
        #expect(error.message.contains("postgresql://postgres@127.0.0.1:1/otppool"))
        #expect(error.message.contains("check that the server is running"))
        #expect(error.serverMessage?.contains("127.0.0.1") == true)
        #expect(!"\(error)".contains("s3cret"))
        // Refused, not timed out: the answer came from the refusal (the loose bound only guards against a hang;
        // a loaded 2-core CI machine can delay any task by seconds).
        #expect(error.serverMessage?.contains("refused") == true)
        #expect(elapsed < .seconds(60))
    }

    @Test func unroutableHostGivesUpAfterTheConnectTimeout() async throws {
        // 10.255.255.1 normally drops packets (timeout); a network-less sandbox refuses at once. Either way:
        // bounded.
        let (error, elapsed) = try await connectError("postgresql://postgres@10.255.255.1:5432/otppool")
        #expect(error.code == .connectionFailed)
        #expect(elapsed < .seconds(60), "bounded by the connect timeout, not hanging")
    }

    @Test func unknownDatabaseIsNamed() async throws {
        let url = TestDatabase.url.replacingLastPathComponent(with: "no_such_database")
        let (error, _) = try await connectError(url)
        #expect(error.code == .connectionFailed)
        #expect(error.serverMessage?.contains("database \"no_such_database\" does not exist") == true)
    }

    @Test func redactedDescriptionNeverShowsThePassword() {
        let configuration = PostgresConfiguration("postgresql://svc:hunter2@db.internal:6432/otppool?sslmode=require")
        #expect(configuration.redactedDescription == "postgresql://svc@db.internal:6432/otppool")
        let conninfo = PostgresConfiguration("host=db port=5432 user=svc password=hunter2 dbname=otppool")
        #expect(conninfo.redactedDescription == "postgresql://svc@db:5432/otppool")
    }

    @Test func sessionRunsInUTCWithISODatesAndTheApplicationName() async throws {
        let application = uniqueName("session", separator: "_")
        let connection = try await PostgresConnection.connect(
            PostgresConfiguration(
                TestDatabase.url + (TestDatabase.url.contains("?") ? "&" : "?") + "options=-c%20statement_timeout%3D5000",
                applicationName: application
            )
        )
        defer { Task { await connection.close() } }
        let row = try await connection.query(
            "SELECT current_setting('TimeZone') AS tz, current_setting('DateStyle') AS style, "
                + "current_setting('application_name') AS app, current_setting('statement_timeout') AS timeout"
        ).single()
        #expect(try row.decode("tz", as: String.self) == "UTC")
        #expect(try row.decode("style", as: String.self).hasPrefix("ISO"))
        #expect(try row.decode("app", as: String.self) == application)
        #expect(try row.decode("timeout", as: String.self) == "5s")
    }
}

extension String {
    fileprivate func replacingLastPathComponent(with name: String) -> String {
        let base = split(separator: "?", maxSplits: 1)[0]
        guard let slash = base.lastIndex(of: "/") else { return self }
        return base[...slash] + name
    }
}
