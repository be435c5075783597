import Activation
import Console
import Escalation
import Foundation
import Pool
import Synchronization

/// A ``ConsoleBackend`` in memory: the route tests need no database.
final class MemoryBackend: ConsoleBackend {
    let records: [String: ActivationRecord]
    let listings: [ActivationListing]
    private let stored: Mutex<[String: Escalation]>
    /// The last activation search asked for.
    let lastSearch = Mutex<ActivationSearch?>(nil)
    /// Dead letters by ID; the memory replayer appends its replays here.
    let letters: Mutex<[Int64: DeadLetter]>
    /// The dead-letter filters listings and counts were asked for, in order.
    let deadLetterFilters = Mutex<[DeadLetterFilter]>([])

    init(records: [ActivationRecord] = [], listings: [ActivationListing] = [], escalations: [Escalation] = [], deadLetters: [DeadLetter] = []) {
        self.records = Dictionary(uniqueKeysWithValues: records.map { ($0.evidence.requestID, $0) })
        self.listings = listings
        self.stored = Mutex(Dictionary(uniqueKeysWithValues: escalations.map { ($0.requestID, $0) }))
        self.letters = Mutex(Dictionary(uniqueKeysWithValues: deadLetters.map { ($0.id, $0) }))
    }

    var escalationsNow: [String: Escalation] { stored.withLock { $0 } }

    func countsByState() async throws -> [ActivationState: Int] {
        Dictionary(grouping: listings, by: \.state).mapValues(\.count)
    }

    func outcomes(within window: Duration) async throws -> [ActivationState: Int] {
        Dictionary(grouping: listings.filter(\.state.isTerminal), by: \.state).mapValues(\.count)
    }

    func activations(_ search: ActivationSearch) async throws -> [ActivationListing] {
        lastSearch.withLock { $0 = search }
        return listings.filter { listing in
            (search.requestID == nil || listing.requestID == search.requestID) && (search.accountID == nil || listing.accountID == search.accountID)
                && (search.phone == nil || listing.phone == search.phone) && (search.state == nil || listing.state == search.state)
        }
    }

    func activationRecord(requestID: String) async throws -> ActivationRecord? { records[requestID] }

    func escalations(_ filter: EscalationFilter) async throws -> [EscalationListing] {
        stored.withLock { $0.values }.filter { (filter.queue == nil || $0.queue == filter.queue) && (filter.status == nil || $0.status == filter.status) }
            .sorted { $0.createdAt > $1.createdAt }
            .map {
                EscalationListing(
                    requestID: $0.requestID, accountID: $0.accountID, queue: $0.queue, status: $0.status, service: $0.evidence.service,
                    outcome: $0.evidence.outcome, rules: $0.triggers.map(\.rule), createdAt: $0.createdAt, updatedAt: $0.updatedAt)
            }
    }

    func escalationCounts() async throws -> [EscalationQueue: [EscalationStatus: Int]] {
        var counts: [EscalationQueue: [EscalationStatus: Int]] = [:]
        for record in stored.withLock({ $0.values }) { counts[record.queue, default: [:]][record.status, default: 0] += 1 }
        return counts
    }

    func oldestOpenEscalations(now: Date) async throws -> [EscalationQueue: TimeInterval] {
        var oldest: [EscalationQueue: TimeInterval] = [:]
        for record in stored.withLock({ $0.values }) where record.status != .resolved {
            oldest[record.queue] = max(oldest[record.queue] ?? 0, now.timeIntervalSince(record.createdAt))
        }
        return oldest
    }

    func escalation(requestID: String) async throws -> Escalation? { stored.withLock { $0[requestID] } }

    func updateEscalation(requestID: String, _ change: @Sendable (Escalation) -> Escalation) async throws -> Escalation? {
        stored.withLock { records in
            guard let record = records[requestID] else { return nil }
            let updated = change(record)
            records[requestID] = updated
            return updated
        }
    }
}
