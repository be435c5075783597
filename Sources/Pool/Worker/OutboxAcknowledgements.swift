import Logging
import Synchronization

/// Outbox events the broker acknowledged, forgotten in the database in batches: one `DELETE` for everything
/// acknowledged in the last ``interval`` instead of one per step.
///
/// Safe to be late: an outbox row is sent again by the relay only ``OutboxBatch/relayGraceSeconds`` after its step
/// committed, and a row deleted late (or never, when this process stops first or PostgreSQL is away) is at most
/// sent again under the same event ID, which consumers deduplicate.
final class OutboxAcknowledgements: Sendable {
    private let pending = Mutex<[String]>([])
    private let store: any ActivationStoring
    private let logger: Logger

    /// How often the acknowledged events are deleted. Every 50 ms, two workers at 40 activations a second spent
    /// about one statement per activation on these deletes; a quarter of a second is still 40 times inside the
    /// relay's grace.
    static let interval: Duration = .milliseconds(250)

    /// The most event IDs kept while deletes fail (PostgreSQL away); past it the oldest are left to the relay.
    static let limit = 100_000

    init(store: any ActivationStoring, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    /// Records events the broker acknowledged; the next flush deletes their outbox rows.
    func acknowledge(_ eventIDs: [String]) {
        guard !eventIDs.isEmpty else { return }
        pending.withLock { $0 += eventIDs }
    }

    /// Flushes every ``interval`` until cancelled, then once more (outside the cancelled task, whose connection
    /// checkout would be refused).
    func run() async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: Self.interval) } catch { break }
            await flush()
        }
        await Task { await self.flush() }.value
    }

    /// Deletes the outbox rows of every event acknowledged so far; on failure keeps them for the next flush.
    func flush() async {
        let batch = pending.withLock { pending in
            defer { pending = [] }
            return pending
        }
        guard !batch.isEmpty else { return }
        do {
            try await store.deleteOutboxEvents(batch)
        } catch {
            logger.debug("outbox rows kept for the next flush (sent again by the relay if it comes late, same event IDs): \(error)")
            pending.withLock { pending in
                pending = batch + pending
                if pending.count > Self.limit { pending.removeFirst(pending.count - Self.limit) }
            }
        }
    }
}
