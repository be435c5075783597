import Activation
import Escalation
import Foundation
import Pool
import Testing

@testable import otppool

@Suite("--json documents: stable keys")
struct JSONOutputTests {
    static func object(_ value: some Encodable) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: WireFormat.makeEncoder().encode(value)) as? [String: Any])
    }

    @Test("escalations list: every documented key, null when unknown; counts by queue and status")
    func escalationsList() throws {
        let line = EscalationsListDocument.Line(
            requestID: "r-1", accountID: nil, queue: "refunds", status: "open", service: nil, outcome: "expired",
            rules: ["expired"], createdAt: Date(timeIntervalSince1970: 0), updatedAt: Date(timeIntervalSince1970: 60))
        let keys = Set(try Self.object(line).keys)
        #expect(keys == ["request_id", "account_id", "queue", "status", "service", "outcome", "rules", "created_at", "updated_at"])
        #expect(try Self.object(line)["created_at"] as? String == "1970-01-01T00:00:00.000Z")
        let document = EscalationsListDocument([], counts: [.refunds: [.open: 2, .resolved: 1]])
        let counts = try #require(try Self.object(document)["counts"] as? [String: [String: Int]])
        #expect(counts == ["refunds": ["open": 2, "resolved": 1]])
    }

    @Test("dlq list: dead_letters and counts")
    func deadLettersList() throws {
        let document = DeadLettersList.Document(deadLetters: [], counts: ["malformed_json": 3])
        let object = try Self.object(document)
        #expect(Set(object.keys) == ["dead_letters", "counts"])
        #expect(object["counts"] as? [String: Int] == ["malformed_json": 3])
    }
}
