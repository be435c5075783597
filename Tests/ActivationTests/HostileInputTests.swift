import Foundation
import Testing

@testable import Activation

/// More than a thousand malformed and hostile messages: none may trap, each is refused with a reason.
@Suite("Wire format: hostile inputs")
struct HostileInputTests {
    /// A small deterministic generator (SplitMix64), so a failure reproduces.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            self.state &+= 0x9E37_79B9_7F4A_7C15
            var z = self.state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ bound: Int) -> Int { Int(self.next() % UInt64(max(1, bound))) }
    }

    static let fields = [
        "schema_version", "request_id", "idempotency_key", "account_id", "service", "countries", "number_type",
        "max_price", "submitted_at", "metadata", "supplier_pool",
    ]
    static let wrongValues = [
        "null", "true", "0", "-1", "1e400", "-9223372036854775809", "99999999999999999999999", "\"\"", "[]", "{}",
        "[[[]]]", "\"\\u0000\"", "3.14", "{\"amount_minor\":\"ten\",\"currency\":\"USD\"}",
    ]
    static let injections = [
        "'; DROP TABLE activations; --", "<script>alert(1)</script>", "${jndi:ldap://x/a}", "../../etc/passwd",
        "\\u202e\\u0000\\r\\nSet-Cookie: x", "%s%s%n", "{{7*7}}", "\\ud800",
    ]

    /// Inputs that must all be refused, by category.
    static func hostileInputs() -> [(String, Data)] {
        let valid = Fixtures.json(Fixtures.requestObject())
        var inputs: [(String, Data)] = []
        for length in 0..<valid.count { inputs.append(("truncated at \(length)", valid.prefix(length))) }
        for depth in [17, 64, 1000, 100_000] {
            inputs.append(("array depth \(depth)", Data(repeating: 0x5B, count: depth)))
            let objects = String(repeating: "{\"a\":", count: depth) + "1" + String(repeating: "}", count: depth)
            inputs.append(("object depth \(depth)", Data(objects.utf8)))
        }
        let text = String(decoding: valid, as: UTF8.self)
        let megabyte = String(repeating: "A", count: 1 << 20)
        for field in ["request_id", "service", "metadata"] {
            let value = field == "metadata" ? "{\"k\":\"\(megabyte)\"}" : "\"\(megabyte)\""
            inputs.append(("1 MB \(field)", self.replacing(field, in: text, with: value)))
        }
        for field in self.fields where field != "supplier_pool" && field != "metadata" {
            for value in self.wrongValues {
                inputs.append(("\(field) = \(value)", self.replacing(field, in: text, with: value)))
            }
        }
        for field in ["request_id", "idempotency_key", "account_id", "service", "number_type", "submitted_at"] {
            for injection in self.injections {
                inputs.append(("\(field) injection", self.replacing(field, in: text, with: "\"\(injection)\"")))
            }
        }
        var generator = Generator(state: 7)
        for index in 0..<400 {
            var bytes = [UInt8](valid)
            let position = generator.below(bytes.count)
            bytes.insert(contentsOf: [[0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80]][index % 4],
                         at: position)
            inputs.append(("invalid UTF-8 #\(index)", Data(bytes)))
        }
        for index in 0..<200 {
            let bytes = (0..<generator.below(512)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            inputs.append(("random bytes #\(index)", Data(bytes)))
        }
        for extra in ["", " ", "null", "[]", "\"text\"", "123", "{}", "{\"schema_version\":1}", "\u{FEFF}{}"] {
            inputs.append(("whole message \(extra)", Data(extra.utf8)))
        }
        return inputs
    }

    static func replacing(_ field: String, in json: String, with value: String) -> Data {
        guard let data = json.data(using: .utf8),
            var object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        else { return Data() }
        object[field] = "__HOSTILE__"
        let template = String(decoding: Fixtures.json(object), as: UTF8.self)
        return Data(template.replacingOccurrences(of: "\"__HOSTILE__\"", with: value).utf8)
    }

    @Test func everyHostileRequestIsRefusedWithAReason() {
        let inputs = Self.hostileInputs()
        #expect(inputs.count >= 1000)
        let decoder = WireDecoder(limits: WireLimits(maxMessageBytes: 2 << 20))
        var codes: [String: Int] = [:]
        for (name, data) in inputs {
            do {
                let request = try decoder.decodeRequest(data)
                Issue.record("\(name) was accepted: \(request.requestID.prefix(40))")
            } catch {
                #expect(!error.reason.message.isEmpty, "\(name)")
                codes[error.reason.code.rawValue, default: 0] += 1
            }
        }
        for expected in ["malformed_json", "too_deep", "invalid_encoding", "wrong_type", "invalid_identifier",
                         "missing_field", "invalid_value", "metadata_too_large", "invalid_timestamp"] {
            #expect(codes[expected, default: 0] > 0, "no input produced \(expected): \(codes)")
        }
    }

    @Test func hostileCommandsAndEventsNeverTrap() {
        let decoder = WireDecoder()
        var refused = 0
        for (_, data) in Self.hostileInputs() {
            do { _ = try decoder.decodeCommand(data) } catch { refused += 1 }
            _ = try? decoder.decodeEvent(data)
        }
        #expect(refused >= 1000)
    }

    /// Random byte flips of a valid request: each result is either a valid request or refused with a code.
    @Test func mutatedRequestsAreValidOrRefused() {
        let valid = [UInt8](Fixtures.json(Fixtures.requestObject()))
        var generator = Generator(state: 99)
        let decoder = WireDecoder()
        for _ in 0..<1000 {
            var bytes = valid
            for _ in 0...generator.below(4) {
                bytes[generator.below(bytes.count)] = UInt8(truncatingIfNeeded: generator.next())
            }
            do {
                let request = try decoder.decodeRequest(bytes)
                #expect(request.validationFailure() == nil)
            } catch {
                #expect(!error.reason.code.rawValue.isEmpty)
            }
        }
    }
}
