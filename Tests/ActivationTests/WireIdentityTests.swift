import Foundation
import Testing

@testable import Activation

@Suite("Wire format: the identity of refused messages")
struct WireIdentityTests {
    let decoder = WireDecoder()

    @Test("a request that fails validation still names its request, key and account")
    func invalidRequestKeepsItsIdentity() {
        let bytes = Data(#"{"schema_version":1,"request_id":"req-7","idempotency_key":"key-7","account_id":"acct-7","max_price":-1}"#.utf8)
        #expect(decoder.identity(of: bytes) == WireIdentity(requestID: "req-7", idempotencyKey: "key-7", accountID: "acct-7"))
    }

    @Test("invalid identifiers, wrong types and unparsable input give no identity")
    func untrustworthyFieldsAreDropped() {
        let hostile = Data(#"{"request_id":"r 1; DROP TABLE x","idempotency_key":42,"account_id":"acct-ok"}"#.utf8)
        #expect(decoder.identity(of: hostile) == WireIdentity(accountID: "acct-ok"))
        #expect(decoder.identity(of: Data("{\"truncated".utf8)) == WireIdentity())
        #expect(decoder.identity(of: Data([0xFF, 0xFE, 0x00])) == WireIdentity())
        #expect(decoder.identity(of: Data("[1,2,3]".utf8)) == WireIdentity())
    }

    @Test("a message above the size limit is not parsed for its identity")
    func oversizedMessageIsNotParsed() {
        var limits = WireLimits.default
        limits.maxMessageBytes = 64
        let bytes = Data((#"{"request_id":"req-big","pad":""# + String(repeating: "x", count: 100) + #""}"#).utf8)
        #expect(WireDecoder(limits: limits).identity(of: bytes) == WireIdentity())
    }
}
