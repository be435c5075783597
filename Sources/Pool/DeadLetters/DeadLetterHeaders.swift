import Foundation
import Kafka
import Postgres

/// The headers of dead letters: how they are stored, and which of them a replay carries.
enum DeadLetterHeaders {
    /// The headers a replayed record carries: who replayed it, and which dead letter it is.
    static let replayOf = "otp-replay-of"
    static let replayedBy = "otp-replayed-by"
    /// What the worker adds on the dead-letter topic (`dlq-reason-code`, `dlq-source-topic` …); never replayed.
    static let deadLetterPrefix = "dlq-"

    /// One header as stored: the value base64-encoded, because header values are bytes.
    private struct Stored: Codable {
        var key: String
        var value: String?
    }

    /// The headers as a `jsonb` array of `{"key", "value"}`.
    static func json(_ headers: [KafkaHeader]) throws -> PostgresJSON {
        try PostgresJSON(encoding: headers.map { Stored(key: $0.key, value: $0.value?.base64EncodedString()) })
    }

    /// The headers stored by ``json(_:)``.
    ///
    /// - Throws: ``PoolStoreError`` with code `decoding` when the column holds something else.
    static func headers(_ json: PostgresJSON, id: Int64) throws -> [KafkaHeader] {
        do {
            return try json.decode([Stored].self).map { stored in
                guard let value = stored.value else { return KafkaHeader(key: stored.key, value: nil) }
                guard let bytes = Data(base64Encoded: value) else { throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "not base64")) }
                return KafkaHeader(key: stored.key, value: bytes)
            }
        } catch {
            throw PoolStoreError(code: .decoding, message: "dead_letters.headers of \(id) does not decode (\(error)); is another build writing?")
        }
    }

    /// The headers of a replay of `letter`: the original ones, without the dead-letter topic's and an earlier
    /// replay's, plus ``replayOf`` and ``replayedBy``.
    static func forReplay(of letter: DeadLetter, by who: String) -> [KafkaHeader] {
        letter.headers.filter { !$0.key.hasPrefix(deadLetterPrefix) && $0.key != replayOf && $0.key != replayedBy }
            + [KafkaHeader(key: replayOf, string: String(letter.id)), KafkaHeader(key: replayedBy, string: who)]
    }
}
