import Foundation
import Testing

@testable import Postgres

/// The text-format helpers, without a server.
@Suite("Text formats")
struct TextFormatTests {
    @Test func arrayLiteralsParse() {
        #expect(PostgresArrayText.parse("{}") == [])
        #expect(PostgresArrayText.parse("{a,b}") == ["a", "b"])
        #expect(PostgresArrayText.parse(#"{"a b","c\"d","e\\f",NULL,"NULL", x }"#) == ["a b", "c\"d", "e\\f", nil, "NULL", "x"])
        #expect(PostgresArrayText.parse("[0:1]={7,8}") == ["7", "8"])
        #expect(PostgresArrayText.parse("{{1,2},{3,4}}") == nil)
        #expect(PostgresArrayText.parse("not an array") == nil)
    }

    @Test func arrayLiteralsRoundTrip() {
        let values = ["", " ", "{", "}", ",", "\"", "\\", "NULL", "ü"]
        #expect(PostgresArrayText.parse(PostgresArrayText.format(values)) == values)
    }

    @Test func timestampsFormatLikePostgreSQL() {
        #expect(PostgresTimestamp.format(Date(timeIntervalSince1970: 0)) == "1970-01-01 00:00:00.000000+00")
        #expect(PostgresTimestamp.format(Date(timeIntervalSince1970: -0.000001)) == "1969-12-31 23:59:59.999999+00")
        #expect(PostgresTimestamp.format(Date(timeIntervalSince1970: -62_135_596_800 - 86_400)) == "0001-12-31 00:00:00.000000+00 BC")
    }

    @Test func timestampsParseOffsetsAndEras() {
        #expect(PostgresTimestamp.parse("1970-01-01 00:00:00+00") == Date(timeIntervalSince1970: 0))
        #expect(PostgresTimestamp.parse("1970-01-01 05:30:00.25+05:30") == Date(timeIntervalSince1970: 0.25))
        #expect(PostgresTimestamp.parse("1969-12-31 23:00:00-01") == Date(timeIntervalSince1970: 0))
        #expect(PostgresTimestamp.parse("2024-02-29 00:00:00") == Date(timeIntervalSince1970: 1_709_164_800))
        #expect(PostgresTimestamp.parse("0001-12-31 00:00:00+00 BC") == Date(timeIntervalSince1970: -62_135_596_800 - 86_400))
        #expect(PostgresTimestamp.parse("infinity") == nil)
        #expect(PostgresTimestamp.parse("2024-13-01 00:00:00+00") == nil)
    }

    @Test func minorUnitsAreExact() throws {
        #expect(try PostgresMinorUnits.parse("12.34", scale: 2) == 1234)
        #expect(try PostgresMinorUnits.parse("-0.5", scale: 2) == -50)
        #expect(try PostgresMinorUnits.parse("7", scale: 3) == 7000)
        #expect(try PostgresMinorUnits.parse("1.2300", scale: 2) == 123)
        #expect(throws: PostgresMinorUnits.Failure.tooPrecise) { try PostgresMinorUnits.parse("1.234", scale: 2) }
        #expect(throws: PostgresMinorUnits.Failure.overflow) { try PostgresMinorUnits.parse("92233720368547758.08", scale: 2) }
        #expect(throws: PostgresMinorUnits.Failure.notANumber) { try PostgresMinorUnits.parse("NaN", scale: 2) }
    }

    @Test(arguments: [
        ("40001", true), ("40P01", true), ("57P01", true), ("08006", true), ("53300", true),
        ("23505", false), ("42P01", false), ("22003", false),
    ])
    func retriabilityFollowsSQLState(_ sqlState: String, _ retriable: Bool) {
        let error = PostgresError(code: .queryFailed, message: "m", sqlState: sqlState, serverMessage: "s")
        #expect(error.isRetriable == retriable)
    }

    @Test func connectionLossIsRetriable() {
        #expect(PostgresError(code: .connectionLost, message: "m").isRetriable)
        #expect(!PostgresError(code: .decoding, message: "m").isRetriable)
        #expect(!PostgresError(code: .invalidConfiguration, message: "m").isRetriable)
    }
}
