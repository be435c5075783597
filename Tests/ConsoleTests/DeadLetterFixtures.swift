import Activation
import Foundation
import Kafka

@testable import Pool

/// Dead letters as producers get them wrong: markup, a key and a code in the payload, bytes that are not UTF-8, an
/// escape sequence, a bearer token in a header; and one from another deployment's topic.
enum DeadLetterFixtures {
    static let t0 = ConsoleFixtures.t0

    /// The payload of ``hostile``: every secret and every markup here must stay off the page.
    static var hostilePayload: Data {
        var bytes = Data(#"{"request_id":"req-9","api_key":"\#(ConsoleFixtures.apiKey)","code":"\#(ConsoleFixtures.code)","#.utf8)
        bytes += Data(#""note":"<script>alert(1)</script>","bad":""#.utf8)
        bytes += Data([0xFF, 0x1B]) + Data("[31m\"}".utf8)
        return bytes
    }

    /// Malformed JSON from the requests topic, the newest.
    static func hostile(id: Int64 = 1) -> DeadLetter {
        DeadLetter(
            id: id, source: DeadLetterSource(topic: "test.requests", partition: 1, offset: 42), key: Data("req-9".utf8),
            value: hostilePayload,
            headers: [KafkaHeader(key: "authorization", value: Data("Bearer \(ConsoleFixtures.apiKey)".utf8)),
                      KafkaHeader(key: "x-trace", value: Data("<b>trace</b>".utf8))],
            reasonCode: "malformed_json", reason: "unexpected byte <0xFF> at 97",
            identity: WireIdentity(requestID: "req-9", idempotencyKey: "idem-9", accountID: "acct-1"), producedAt: t0,
            deadLetteredAt: t0.addingTimeInterval(60), replays: [])
    }

    /// A price refused, replayed once already.
    static func replayed(id: Int64 = 2) -> DeadLetter {
        DeadLetter(
            id: id, source: DeadLetterSource(topic: "test.requests", partition: 0, offset: 7), key: nil,
            value: Data(#"{"request_id":"req-8"}"#.utf8), headers: [], reasonCode: "invalid_price", reason: "max_price.amount_minor is 0",
            identity: WireIdentity(requestID: "req-8"), producedAt: nil, deadLetteredAt: t0.addingTimeInterval(30),
            replays: [DeadLetterReplay(
                id: 1, deadLetterID: id, replayedBy: "bob", replayedAt: t0.addingTimeInterval(40), note: "price fixed",
                target: DeadLetterSource(topic: "test.requests", partition: 0, offset: 8))])
    }

    /// Another deployment's dead letter (prefix `other`): listed, never replayed from here.
    static func foreign(id: Int64 = 3) -> DeadLetter {
        DeadLetter(
            id: id, source: DeadLetterSource(topic: "other.requests", partition: 0, offset: 1), key: nil, value: Data("{".utf8),
            headers: [], reasonCode: "malformed_json", reason: "truncated", identity: WireIdentity(), producedAt: nil,
            deadLetteredAt: t0, replays: [])
    }

    static func backend() -> MemoryBackend {
        MemoryBackend(deadLetters: [hostile(), replayed(), foreign()])
    }
}
