import Foundation
import Testing

@testable import Activation

/// `FollowUp.decode` reads what the writer wrote directly and gives exactly what Foundation's decoder gives, for
/// those payloads and for every other one (which it hands to that decoder).
@Suite struct FollowUpDecodingTests {
    /// Foundation's answer for `payload`: the follow-up, or nil when it throws.
    func foundation(_ payload: String) -> FollowUp? {
        try? WireFormat.makeDecoder().decode(FollowUp.self, from: Data(payload.utf8))
    }

    @Test func whatTheWriterWritesIsReadBack() throws {
        var followUps = FollowUp.Kind.allCases.enumerated().map { index, kind in
            FollowUp(requestID: "req-\(index)", kind: kind, attempt: index, due: Fixtures.at(Double(index) * 61.125))
        }
        var poll = FollowUp(requestID: "r:1/ü", kind: .poll, attempt: 12, due: Fixtures.at(5))
        followUps.append(poll)
        poll.anchor = Fixtures.at(4.5)
        poll.unstoredPolls = 0
        followUps.append(poll)
        poll.unstoredPolls = 123_456_789
        followUps.append(poll)
        for followUp in followUps {
            let payload = try WireFormat.encode(followUp)
            #expect(try FollowUp.decode(payload) == followUp)
            #expect(foundation(String(decoding: payload, as: UTF8.self)) == followUp)
        }
    }

    @Test func anyOtherPayloadGetsFoundationsAnswer() throws {
        let due = #""due":"2026-05-01T12:00:00.250Z""#
        let payloads = [
            #"{"attempt":1,\#(due),"kind":"poll","request_id":"a"}"#,
            #"{ "attempt": 1, \#(due), "kind": "poll", "request_id": "a" }"#,  // spaces
            #"{"request_id":"a","kind":"poll",\#(due),"attempt":1}"#,  // another order
            #"{"attempt":1,\#(due),"kind":"poll","request_id":"a\"b\\c\u00e9"}"#,  // escapes
            #"{"anchor":null,"attempt":1,\#(due),"kind":"poll","request_id":"a","unstored_polls":null}"#,
            #"{"attempt":1,\#(due),"kind":"poll","request_id":"a","extra":[1,{"x":2}]}"#,  // unknown key
            #"{"attempt":1,"due":"2026-05-01T14:00:00+02:00","kind":"poll","request_id":"a"}"#,  // an offset
            #"{"attempt":01,\#(due),"kind":"poll","request_id":"a"}"#,  // a leading zero: invalid JSON
            #"{"attempt":1.0,\#(due),"kind":"poll","request_id":"a"}"#,
            #"{"attempt":-1,\#(due),"kind":"poll","request_id":"a"}"#,
            #"{"attempt":99999999999999999999,\#(due),"kind":"poll","request_id":"a"}"#,  // overflows Int
            #"{"attempt":1,\#(due),"kind":"nap","request_id":"a"}"#,  // unknown kind
            #"{"attempt":1,"due":"yesterday","kind":"poll","request_id":"a"}"#,
            #"{"attempt":1,\#(due),"kind":"poll"}"#,  // no request ID
            #"{"attempt":1,"attempt":2,\#(due),"kind":"poll","request_id":"a"}"#,  // a key twice
            #"{"attempt":1,\#(due),"kind":"poll","request_id":"a"} "#,
            #"{"attempt":1,\#(due),"kind":"poll","request_id":"a"}x"#,
            #"{"attempt":1,\#(due),"kind":"poll","request_id":"a""#,
            "{}", "[]", "", "null",
        ]
        for payload in payloads {
            let expected = foundation(payload)
            let decoded = try? FollowUp.decode(Data(payload.utf8))
            #expect(decoded == expected, "\(payload)")
        }
        #expect(foundation(payloads[1]) != nil && foundation(payloads[3])?.requestID == "a\"b\\cé")
    }
}
