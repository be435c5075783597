import Console
import Foundation
import Pool

/// The dead-letter reads, over the letters in memory, by the store's rules (newest first, counts ignore the limit).
extension MemoryBackend {
    func deadLetters(_ filter: DeadLetterFilter) async throws -> [DeadLetterSummary] {
        deadLetterFilters.withLock { $0.append(filter) }
        return Array(matching(filter).prefix(filter.limit))
    }

    func deadLetterCounts(_ filter: DeadLetterFilter) async throws -> [String: Int] {
        deadLetterFilters.withLock { $0.append(filter) }
        return Dictionary(grouping: matching(filter), by: \.reasonCode).mapValues(\.count)
    }

    func deadLetter(id: Int64) async throws -> DeadLetter? { letters.withLock { $0[id] } }

    func matching(_ filter: DeadLetterFilter) -> [DeadLetterSummary] {
        letters.withLock { Array($0.values) }
            .filter { letter in
                (filter.reasonCode == nil || letter.reasonCode == filter.reasonCode)
                    && (filter.since.map { letter.deadLetteredAt >= $0 } ?? true)
                    && (filter.accountID == nil || letter.identity.accountID == filter.accountID)
                    && (filter.requestID == nil || letter.identity.requestID == filter.requestID)
                    && (filter.replayed.map { $0 == !letter.replays.isEmpty } ?? true)
            }
            .sorted { ($0.deadLetteredAt, $0.id) > ($1.deadLetteredAt, $1.id) }
            .map(DeadLetterSummary.init)
    }
}
