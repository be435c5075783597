import Foundation
import TestSupport
import Testing

@testable import Postgres

@Suite("Decoding errors name the column and say what to do")
struct DecodingErrorTests {
    @Test func nullIntoANonOptionalNamesTheColumn() async throws {
        let connection = try await TestDatabase.connect()
        defer { Task { await connection.close() } }
        let row = try await connection.query("SELECT NULL::bigint AS balance_minor, 'x'::text AS email").single()
        let error = try #require(throws: PostgresError.self) { try row.decode("balance_minor", as: Int64.self) }
        #expect(error.code == .decoding)
        #expect(error.message.contains("column \"balance_minor\""))
        #expect(error.message.contains("NULL"))
        #expect(error.message.contains("Optional"))
        #expect(!error.isRetriable)
    }

    @Test func wrongTypeNamesTheColumnAndBothTypes() async throws {
        let connection = try await TestDatabase.connect()
        defer { Task { await connection.close() } }
        let row = try await connection.query("SELECT 'abc'::text AS email, 5::bigint AS attempt").single()
        let error = try #require(throws: PostgresError.self) { try row.decode("email", as: Int.self) }
        #expect(error.code == .decoding)
        #expect(error.message.contains("column \"email\" is text"))
        #expect(error.message.contains("Int"))
        let boolError = try #require(throws: PostgresError.self) { try row.decode("attempt", as: Bool.self) }
        #expect(boolError.message.contains("column \"attempt\" is bigint"))
        let missing = try #require(throws: PostgresError.self) { try row.decode("nope", as: Int.self) }
        #expect(missing.message.contains("no column \"nope\""))
        #expect(missing.message.contains("email, attempt"))
    }

    @Test func outOfRangeValueSaysWhy() async throws {
        let connection = try await TestDatabase.connect()
        defer { Task { await connection.close() } }
        let row = try await connection.query("SELECT 'infinity'::timestamptz AS expires_at, '{{1,2},{3,4}}'::int[] AS grid").single()
        let date = try #require(throws: PostgresError.self) { try row.decode("expires_at", as: Date.self) }
        #expect(date.message.contains("\"expires_at\""))
        #expect(date.message.contains("infinity"))
        let grid = try #require(throws: PostgresError.self) { try row.decode("grid", as: [Int].self) }
        #expect(grid.message.contains("one-dimensional"))
    }

    @Test func serverErrorsCarrySQLStateAndMessage() async throws {
        let connection = try await TestDatabase.connect()
        defer { Task { await connection.close() } }
        let error = try await #require(throws: PostgresError.self) {
            try await connection.query("SELECT * FROM no_such_table_anywhere WHERE id = $1", [1])
        }
        #expect(error.code == .queryFailed)
        #expect(error.sqlState == "42P01")
        #expect(error.serverMessage == "relation \"no_such_table_anywhere\" does not exist")
        #expect(error.query == "SELECT * FROM no_such_table_anywhere WHERE id = $1")
        #expect(!error.isRetriable)
        #expect("\(error)".contains("[SQLSTATE 42P01] relation \"no_such_table_anywhere\" does not exist"))
        // The connection stays usable after a statement error.
        #expect(try await connection.query("SELECT 1 AS one").single().decode("one", as: Int.self) == 1)
        #expect(connection.isUsable)
    }

    @Test func nulBytesInParametersAreRejectedBeforeSending() async throws {
        let connection = try await TestDatabase.connect()
        defer { Task { await connection.close() } }
        let error = try await #require(throws: PostgresError.self) {
            try await connection.query("SELECT $1::text, $2::text", ["fine", "bad\u{0}value"])
        }
        #expect(error.code == .encoding)
        #expect(error.message.contains("$2"))

        // Arrays travel in the binary format, where a NUL byte needs no escape: their text elements are checked too.
        for binds: [any PostgresBindable] in [["fine", ["fine", "bad\u{0}byte"]], ["fine", [PostgresJSON(text: "\"a\u{0}\"")]]] {
            let error = try await #require(throws: PostgresError.self) { try await connection.query("SELECT $1::text, $2", binds) }
            #expect(error.code == .encoding && error.message.contains("$2"), "\(error)")
        }
        #expect(try await connection.query("SELECT 1 AS one").single().decode("one", as: Int.self) == 1, "the session is usable")
    }
}
