import Foundation

/// One replay of a dead letter: who put it back on its source topic, when, why, and where it landed.
///
/// JSON keys (stable): `id`, `dead_letter_id`, `replayed_by`, `replayed_at`, `note`, `target` (`topic`,
/// `partition`, `offset`).
public struct DeadLetterReplay: Sendable, Hashable, Codable {
    public var id: Int64
    public var deadLetterID: Int64
    /// Who replayed it (the operator's name; `otp-replayed-by` on the replayed record).
    public var replayedBy: String
    public var replayedAt: Date
    /// Why, as the operator wrote it.
    public var note: String?
    /// Where the replayed record landed.
    public var target: DeadLetterSource

    enum CodingKeys: String, CodingKey {
        case id, deadLetterID = "dead_letter_id", replayedBy = "replayed_by", replayedAt = "replayed_at", note, target
    }

    /// Writes every key, `null` included, so scripts see the same keys whatever the record holds.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(deadLetterID, forKey: .deadLetterID)
        try container.encode(replayedBy, forKey: .replayedBy)
        try container.encode(replayedAt, forKey: .replayedAt)
        try container.encode(note, forKey: .note)
        try container.encode(target, forKey: .target)
    }
}
