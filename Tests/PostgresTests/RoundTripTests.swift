import Foundation
import TestSupport
import Testing

@testable import Postgres

@Suite("Round trip of every supported type")
struct RoundTripTests {
    struct Payload: Codable, Equatable {
        var service: String
        var countries: [String]
        var maxPriceMinor: Int
    }

    @Test func everyTypeThroughATableAndBack() async throws {
        try await TestDatabase.withSchemaConnection("roundtrip") { connection, _ in
            try await connection.query(
                """
                CREATE TABLE everything (
                    id int PRIMARY KEY, t text, i int, b bigint, n numeric(14, 2), big numeric, f float8,
                    flag boolean, at timestamptz, doc jsonb, u uuid, names text[], numbers bigint[]
                )
                """
            )
            let at = Date(timeIntervalSince1970: 1_714_566_600.123456)
            let uuid = UUID()
            let payload = Payload(service: "wa", countries: ["id", "ph"], maxPriceMinor: 1250)
            let names = ["plain", "with space", "quote\"d", "back\\slash", "NULL", "comma,brace{}", "", "ünïcødé"]
            try await connection.query(
                "INSERT INTO everything VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                [
                    1, "héllo 'world'", Int32(-42), Int64.max, Decimal(string: "12345.67")!,
                    Decimal(string: "-0.000000000000000001")!, 0.1, true, at, try PostgresJSON(encoding: payload),
                    uuid, names, [Int.min, 0, Int.max],
                ]
            )
            try await connection.query(
                "INSERT INTO everything VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                [
                    2, String?.none, Int32?.none, Int64?.none, Decimal?.none, Decimal?.none, Double?.none,
                    Bool?.none, Date?.none, PostgresJSON?.none, UUID?.none, [String]?.none, [Int]?.none,
                ]
            )
            let rows = try await connection.query("SELECT * FROM everything ORDER BY id")
            #expect(rows.count == 2)
            let row = rows[0]
            #expect(try row.decode("t", as: String.self) == "héllo 'world'")
            #expect(try row.decode("i", as: Int32.self) == -42)
            #expect(try row.decode("i", as: Int.self) == -42)
            #expect(try row.decode("b", as: Int64.self) == Int64.max)
            #expect(try row.decode("n", as: Decimal.self) == Decimal(string: "12345.67")!)
            #expect(try row.decodeMinorUnits("n") == 1_234_567)
            #expect(try row.decode("big", as: Decimal.self) == Decimal(string: "-0.000000000000000001")!)
            #expect(try row.decode("f", as: Double.self) == 0.1)
            #expect(try row.decode("flag", as: Bool.self) == true)
            #expect(try row.decode("at", as: Date.self) == at.roundedToMicroseconds)
            #expect(try row.decodeJSON("doc", as: Payload.self) == payload)
            #expect(try row.decode("doc", as: PostgresJSON.self).decode(Payload.self) == payload)
            #expect(try row.decode("u", as: UUID.self) == uuid)
            #expect(try row.decode("names", as: [String].self) == names)
            #expect(try row.decode("numbers", as: [Int].self) == [Int.min, 0, Int.max])

            let nulls = rows[1]
            for column in nulls.columns.map(\.name) where column != "id" {
                #expect(nulls.cell(at: nulls.columns.firstIndex { $0.name == column }!).isNull, "\(column)")
            }
            #expect(try nulls.decode("t", as: String?.self) == nil)
            #expect(try nulls.decode("i", as: Int32?.self) == nil)
            #expect(try nulls.decode("n", as: Decimal?.self) == nil)
            #expect(try nulls.decode("flag", as: Bool?.self) == nil)
            #expect(try nulls.decode("at", as: Date?.self) == nil)
            #expect(try nulls.decode("doc", as: PostgresJSON?.self) == nil)
            #expect(try nulls.decode("u", as: UUID?.self) == nil)
            #expect(try nulls.decode("names", as: [String]?.self) == nil)
        }
    }

    @Test func arraysBindNullElementsAndEveryElementType() async throws {
        let connection = try await TestDatabase.connect()
        defer { Task { await connection.close() } }
        let at = Date(timeIntervalSince1970: 1_714_566_600.123456)
        let texts: [String?] = ["quote\"d \\ back", nil, "NULL", "", "{\"json\": [1, \"two\"]}"]
        let rows = try await connection.query(
            """
            SELECT t, t IS NULL AS t_null, b, b IS NULL AS b_null, flag, f, f IS NULL AS f_null, at, at IS NULL AS at_null
            FROM unnest($1::text[], $2::bigint[], $3::bool[], $4::float8[], $5::timestamptz[]) WITH ORDINALITY
                AS a(t, b, flag, f, at, n)
            ORDER BY n
            """,
            [texts, [Int64?.none, 1, -2, nil, Int64.max], [true, false, true, false, true], [0.5, nil, -1.25, nil, 3],
             [at, nil, nil, at, nil] as [Date?]])
        #expect(rows.count == 5)
        #expect(try rows.map { try $0.decode("t_null", as: Bool.self) } == texts.map { $0 == nil })
        #expect(try rows.map { try $0.decode("t", as: String?.self) } == texts, "quotes, backslashes and the word NULL survive")
        #expect(try rows.map { try $0.decode("b", as: Int64?.self) } == [nil, 1, -2, nil, Int64.max])
        #expect(try rows.map { try $0.decode("flag", as: Bool.self) } == [true, false, true, false, true])
        #expect(try rows.map { try $0.decode("f", as: Double?.self) } == [0.5, nil, -1.25, nil, 3])
        #expect(try rows.map { try $0.decode("at", as: Date?.self) } == [at.roundedToMicroseconds, nil, nil, at.roundedToMicroseconds, nil])

        // JSON documents bind as jsonb[]: the server takes the array's type from the bind, no cast needed.
        let documents = [PostgresJSON(text: #"{"k": "a \"quoted\" \\ value"}"#), PostgresJSON(text: "[1, 2]")]
        let json = try await connection.query(
            "SELECT pg_typeof($1)::text AS type, d::text AS doc FROM unnest($1) WITH ORDINALITY AS u(d, n) ORDER BY n", [documents])
        #expect(try json.map { try $0.decode("type", as: String.self) } == ["jsonb[]", "jsonb[]"])
        #expect(try json.map { try $0.decode("doc", as: String.self) } == [#"{"k": "a \"quoted\" \\ value"}"#, "[1, 2]"])
        // JSON kept in a text column decodes as it was written (a jsonb column's text would be the server's form).
        let kept = try await connection.query("SELECT d FROM unnest($1::text[]) AS u(d)", [documents.map(\.text)])
        #expect(try kept.map { try $0.decode("d", as: PostgresJSON.self) } == documents)
    }

    /// Arrays travel in the binary format: the server's receive functions read what the text form would have said.
    @Test func binaryArraysReadAsTheirTextFormsWould() async throws {
        let connection = try await TestDatabase.connect()
        defer { Task { await connection.close() } }
        // Before and after 2000 (binary timestamps count from it), before year 1, and sub-microsecond rounding.
        let dates = [
            Date(timeIntervalSince1970: -1_000_000_000.0000004), Date(timeIntervalSince1970: 946_684_799.9999996),
            Date(timeIntervalSince1970: -62_200_000_000.25), Date(timeIntervalSince1970: 1_714_566_600.1234565),
        ]
        let row = try await connection.query(
            """
            SELECT $1::timestamptz[] = ARRAY[$2::timestamptz, $3, $4, $5] AS dates_equal,
                cardinality($6::text[]) AS no_texts, cardinality($7::bigint[]) AS no_numbers, $6::text[] = '{}' AS empty,
                $8::float8[]::text AS doubles, $9::int4[]::text AS int4s, $10::bigint[]::text AS ints
            """,
            [dates, dates[0], dates[1], dates[2], dates[3], [String](), [Int](),
             [Double.nan, .infinity, -.infinity, -0.0, 1e-300], [Int32.min, 0, Int32.max], [Int.min, Int.max]]
        ).single()
        #expect(try row.decode("dates_equal", as: Bool.self), "a date bound in an array equals the same date bound alone")
        #expect(try row.decode("no_texts", as: Int.self) == 0 && row.decode("no_numbers", as: Int.self) == 0)
        #expect(try row.decode("empty", as: Bool.self))
        #expect(try row.decode("doubles", as: String.self) == "{NaN,Infinity,-Infinity,-0,1e-300}")
        #expect(try row.decode("int4s", as: String.self) == "{-2147483648,0,2147483647}")
        #expect(try row.decode("ints", as: String.self) == "{-9223372036854775808,9223372036854775807}")
    }

    @Test func bindsCarryTheirTypesToTheServer() async throws {
        let connection = try await TestDatabase.connect()
        defer { Task { await connection.close() } }
        let row = try await connection.query(
            "SELECT pg_typeof($1)::text AS a, pg_typeof($2)::text AS b, pg_typeof($3)::text AS c, "
                + "pg_typeof($4)::text AS d, pg_typeof($5)::text AS e, pg_typeof($6)::text AS f, "
                + "pg_typeof($7)::text AS g, pg_typeof($8)::text AS h",
            [1, Int32(1), true, 1.5, Decimal(1), Date(), UUID(), ["x"]]
        ).single()
        let types = try (["a", "b", "c", "d", "e", "f", "g", "h"]).map { try row.decode($0, as: String.self) }
        #expect(types == [
            "bigint", "integer", "boolean", "double precision", "numeric", "timestamp with time zone", "uuid",
            "text[]",
        ])
    }

    @Test("bytes survive a bytea round trip, NUL, invalid UTF-8 and empty included")
    func byteaKeepsEveryByte() async throws {
        let connection = try await TestDatabase.connect()
        defer { Task { await connection.close() } }
        let samples = [Data(), Data([0, 1, 0xFE, 0xFF, 0x5C, 0x78]), Data((0...255).map(UInt8.init)), Data("héllo".utf8)]
        for sample in samples {
            let row = try await connection.query(
                "SELECT $1 AS bytes, pg_typeof($1)::text AS type, octet_length($1) AS length", [sample]
            ).single()
            #expect(try row.decode("bytes", as: Data.self) == sample)
            #expect(try row.decode("type", as: String.self) == "bytea")
            #expect(try row.decode("length", as: Int.self) == sample.count)
        }
        let null = try await connection.query("SELECT $1 AS bytes", [Data?.none]).single()
        #expect(try null.decode("bytes", as: Data?.self) == nil)
        try await connection.query("SET bytea_output = 'escape'")
        let escaped = try await connection.query("SELECT 'AB'::bytea AS bytes").single()
        #expect(throws: PostgresError.self) { try escaped.decode("bytes", as: Data.self) }
    }

    @Test func timestampsKeepMicrosecondsAcrossEras() async throws {
        let connection = try await TestDatabase.connect()
        defer { Task { await connection.close() } }
        let dates = [
            Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: -1.5), Date(timeIntervalSince1970: 4_102_444_800.000001),
            Date(timeIntervalSince1970: -62_135_596_800 - 86_400),  // 31 December 1 BC
        ]
        for date in dates {
            let row = try await connection.query("SELECT $1::timestamptz AS at, $1::timestamptz::text AS text", [date]).single()
            let text = try row.decode("text", as: String.self)
            #expect(try row.decode("at", as: Date.self) == date.roundedToMicroseconds, "\(text)")
        }
        let iso = try await connection.query("SELECT '2024-05-01 12:30:00.5+02'::timestamptz AS at").single()
        #expect(try iso.decode("at", as: Date.self) == Date(timeIntervalSince1970: 1_714_559_400.5))
    }

    @Test func numericConvertsToMinorUnitsExactly() async throws {
        let connection = try await TestDatabase.connect()
        defer { Task { await connection.close() } }
        let row = try await connection.query(
            "SELECT 0.10::numeric AS dime, -7.5::numeric AS neg, 12::bigint AS whole, 1.005::numeric AS fine, "
                + "92233720368547758.07::numeric AS max, 1e30::numeric AS huge, 3.10000::numeric AS trailing"
        ).single()
        #expect(try row.decodeMinorUnits("dime") == 10)
        #expect(try row.decodeMinorUnits("neg") == -750)
        #expect(try row.decodeMinorUnits("whole") == 1200)
        #expect(try row.decodeMinorUnits("fine", scale: 3) == 1005)
        #expect(try row.decodeMinorUnits("max") == Int64.max)
        #expect(try row.decodeMinorUnits("trailing") == 310)
        #expect(throws: PostgresError.self) { try row.decodeMinorUnits("fine") }
        #expect(throws: PostgresError.self) { try row.decodeMinorUnits("huge") }
    }
}

extension Date {
    /// PostgreSQL keeps microseconds; compare against what it can store.
    var roundedToMicroseconds: Date {
        Date(timeIntervalSince1970: (timeIntervalSince1970 * 1_000_000).rounded() / 1_000_000)
    }
}
