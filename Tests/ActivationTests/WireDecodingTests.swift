import Foundation
import Testing

@testable import Activation

@Suite("Wire format: decoding and validation")
struct WireDecodingTests {
    let decoder = WireDecoder()

    @Test func validRequestDecodesWithEveryField() throws {
        let request = try self.decoder.decodeRequest(Fixtures.json(Fixtures.requestObject()))
        #expect(request.requestID == "req-1")
        #expect(request.countries == ["russia", "usa"])
        #expect(request.maxPrice == Money(amountMinor: 2500, currency: "USD"))
        #expect(request.metadata == ["a": "b"])
        #expect(request.submittedAt == RFC3339.parse("2026-05-01T12:00:00Z"))
    }

    @Test func requestRoundTripsThroughTheEncoder() throws {
        let request = Fixtures.request()
        let again = try self.decoder.decodeRequest(WireFormat.encode(request))
        #expect(again == request)
        #expect(again.fingerprint == request.fingerprint)
        var other = request
        other.maxPrice.amountMinor += 1
        #expect(other.fingerprint != request.fingerprint)
    }

    /// Each bad-input class yields its own reason code (values are JSON fragments, so arguments are Sendable).
    @Test(arguments: [
        ("schema_version", "2", "unsupported_schema_version"),
        ("schema_version", "\"1\"", "wrong_type"),
        ("request_id", "42", "wrong_type"),
        ("request_id", "\"\"", "invalid_identifier"),
        ("request_id", "\"" + String(repeating: "r", count: 129) + "\"", "invalid_identifier"),
        ("account_id", "\"acct 1; DROP TABLE accounts\"", "invalid_identifier"),
        ("service", "\"TG!\"", "invalid_identifier"),
        ("countries", "[]", "empty_countries"),
        ("countries", "[" + (0..<17).map { "\"c\($0)\"" }.joined(separator: ",") + "]", "too_many_countries"),
        ("countries", "[\"usa\",\"usa\"]", "duplicate_country"),
        ("countries", "\"usa\"", "wrong_type"),
        ("countries", "[1,2]", "wrong_type"),
        ("max_price", "{\"amount_minor\":-5,\"currency\":\"USD\"}", "invalid_price"),
        ("max_price", "{\"amount_minor\":0,\"currency\":\"USD\"}", "invalid_price"),
        ("max_price", "{\"amount_minor\":9000000000,\"currency\":\"USD\"}", "price_too_high"),
        ("max_price", "{\"amount_minor\":12.5,\"currency\":\"USD\"}", "invalid_value"),
        ("max_price", "{\"amount_minor\":1e400,\"currency\":\"USD\"}", "invalid_value"),
        ("max_price", "{\"amount_minor\":100,\"currency\":\"usd\"}", "invalid_currency"),
        ("max_price", "{\"amount_minor\":100}", "missing_field"),
        ("max_price", "null", "missing_field"),
        ("submitted_at", "\"yesterday\"", "invalid_timestamp"),
        ("submitted_at", "\"2026-02-30T00:00:00Z\"", "invalid_timestamp"),
        ("metadata", "{\"k\":1}", "wrong_type"),
        ("metadata", "{" + (0..<40).map { "\"k\($0)\":\"v\"" }.joined(separator: ",") + "}", "metadata_too_large"),
        ("metadata", "{\"k\":\"" + String(repeating: "v", count: 2000) + "\"}", "metadata_too_large"),
    ])
    func badFieldIsRejectedWithItsReason(field: String, fragment: String, code: String) {
        let json = String(decoding: Fixtures.json(Fixtures.requestObject()), as: UTF8.self)
        var object = Fixtures.requestObject()
        object[field] = "__PLACEHOLDER__"
        let template = String(decoding: Fixtures.json(object), as: UTF8.self)
        let bytes = Data(template.replacingOccurrences(of: "\"__PLACEHOLDER__\"", with: fragment).utf8)
        #expect(json != template)
        #expect(self.reasonCode(bytes) == code, "\(field) = \(fragment.prefix(80))")
    }

    @Test(arguments: ["request_id", "idempotency_key", "account_id", "service", "countries", "number_type",
                      "max_price", "submitted_at"])
    func missingRequiredFieldIsNamed(field: String) {
        var object = Fixtures.requestObject()
        object[field] = nil
        let rejection = self.rejection(Fixtures.json(object))
        #expect(rejection?.reason.code == .missingField)
        #expect(rejection?.reason.field == field)
    }

    @Test func missingSchemaVersionAndWholeMessageProblems() {
        var object = Fixtures.requestObject()
        object["schema_version"] = nil
        #expect(self.reasonCode(Fixtures.json(object)) == "missing_field")
        #expect(self.reasonCode(Data("{\"schema_version\":1,".utf8)) == "malformed_json")
        #expect(self.reasonCode(Data("[1,2,3]".utf8)) == "malformed_json")
        #expect(self.reasonCode(Data()) == "malformed_json")
        #expect(self.reasonCode(Data([0x7B, 0xFF, 0xFE, 0x7D])) == "invalid_encoding")
        #expect(self.reasonCode(Data(repeating: 0x5B, count: 100)) == "too_deep")
        #expect(self.reasonCode(Data(repeating: 0x20, count: 64 * 1024 + 1)) == "oversize")
        let small = WireDecoder(limits: WireLimits(maxMessageBytes: 100))
        #expect(throws: WireRejection.self) { try small.decodeRequest(Fixtures.json(Fixtures.requestObject())) }
    }

    @Test func rejectionKeepsOnlyValidIdentity() {
        var object = Fixtures.requestObject()
        object["countries"] = []
        #expect(self.rejection(Fixtures.json(object))?.requestID == "req-1")
        #expect(self.rejection(Fixtures.json(object))?.accountID == "acct-1")
        object["request_id"] = "bad id\n"
        #expect(self.rejection(Fixtures.json(object))?.requestID == nil)
    }

    @Test func configurableLimitsApply() {
        let strict = WireDecoder(limits: WireLimits(maxCountries: 1, maxPriceMinor: 1000))
        var object = Fixtures.requestObject()
        #expect(self.code(strict, Fixtures.json(object)) == "too_many_countries")
        object["countries"] = ["usa"]
        #expect(self.code(strict, Fixtures.json(object)) == "price_too_high")
    }

    @Test func commandsDecodeAndValidate() throws {
        let good: [String: Any] = [
            "schema_version": 1, "command_id": "c-1", "request_id": "req-1", "kind": "request_another_code",
            "issued_at": "2026-05-01T12:00:00Z",
        ]
        let command = try self.decoder.decodeCommand(Fixtures.json(good))
        #expect(command.kind == .requestAnotherCode)
        var bad = good
        bad["kind"] = "explode"
        #expect(self.commandCode(bad) == "invalid_value")
        bad = good
        bad["reason"] = String(repeating: "x", count: 5000)
        #expect(self.commandCode(bad) == "text_too_long")
        bad = good
        bad["command_id"] = nil
        #expect(self.commandCode(bad) == "missing_field")
        bad = good
        bad["schema_version"] = 3
        #expect(self.commandCode(bad) == "unsupported_schema_version")
    }

    @Test func rfc3339ParsesOffsetsAndFractionsAndFormatsUTC() throws {
        let plain = try #require(RFC3339.parse("2026-05-01T12:00:00Z"))
        #expect(RFC3339.parse("2026-05-01T14:00:00+02:00") == plain)
        #expect(RFC3339.parse("2026-05-01T12:00:00.500Z") == plain.addingTimeInterval(0.5))
        #expect(RFC3339.format(plain.addingTimeInterval(0.25)) == "2026-05-01T12:00:00.250Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59.500Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: 253_402_300_799.999)) == "9999-12-31T23:59:59.999Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: 253_402_300_800)) == "10000-01-01T00:00:00.000Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00.000Z")
        for bad in ["2026-05-01", "2026-13-01T00:00:00Z", "2026-05-01T25:00:00Z", "2026-05-01T12:00:00",
                    "2026-05-01T12:00:00.Z", "0000-01-01T00:00:00Z", "2026-05-01T12:00:00+2:00"] {
            #expect(RFC3339.parse(bad) == nil, "\(bad)")
        }
    }

    private func rejection(_ data: Data) -> WireRejection? {
        do {
            _ = try self.decoder.decodeRequest(data)
            return nil
        } catch {
            return error
        }
    }

    private func reasonCode(_ data: Data) -> String? { self.rejection(data)?.reason.code.rawValue }

    private func code(_ decoder: WireDecoder, _ data: Data) -> String? {
        do {
            _ = try decoder.decodeRequest(data)
            return nil
        } catch {
            return error.reason.code.rawValue
        }
    }

    private func commandCode(_ object: [String: Any]) -> String? {
        do {
            _ = try self.decoder.decodeCommand(Fixtures.json(object))
            return nil
        } catch {
            return error.reason.code.rawValue
        }
    }
}
