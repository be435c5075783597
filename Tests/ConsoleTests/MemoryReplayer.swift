import Console
import Foundation
import Synchronization

@testable import Pool

/// A ``DeadLetterReplaying`` in memory: records each call and appends the replay to the backend's letter, as the
/// Pool's replayer records it in PostgreSQL; only `test.requests` and `test.commands` are this deployment's topics.
final class MemoryReplayer: DeadLetterReplaying {
    struct Call: Equatable {
        var id: Int64
        var who: String
        var note: String?
    }

    static let topics: Set<String> = ["test.requests", "test.commands"]

    let backend: MemoryBackend
    let calls = Mutex<[Call]>([])

    init(_ backend: MemoryBackend) { self.backend = backend }

    var callsNow: [Call] { calls.withLock { $0 } }

    func replayCandidates(_ filter: DeadLetterFilter) async throws -> [DeadLetterSummary] {
        Array(backend.matching(filter).prefix(filter.limit)).reversed().filter { Self.topics.contains($0.source.topic) }
    }

    func replay(id: Int64, by who: String, note: String?) async throws -> DeadLetterReplay {
        calls.withLock { $0.append(Call(id: id, who: who, note: note)) }
        return try backend.letters.withLock { letters in
            guard var letter = letters[id] else { throw PoolStoreError(code: .notFound, message: "no dead letter \(id)") }
            let replay = DeadLetterReplay(
                id: Int64(letter.replays.count + 1), deadLetterID: id, replayedBy: who, replayedAt: Date(), note: note,
                target: DeadLetterSource(topic: letter.source.topic, partition: 0, offset: 900 + Int64(letter.replays.count)))
            letter.replays.append(replay)
            letters[id] = letter
            return replay
        }
    }
}
