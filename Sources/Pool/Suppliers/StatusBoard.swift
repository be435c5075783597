import Activation
import Suppliers
import Synchronization

/// Answers the status checks of activations waiting for their first code from one read of their supplier's active
/// list (`getActiveActivations`; 5sim's order list), shared by every check asked before that read began: the
/// supplier sees about one call per round of polls instead of one per waiting activation.
///
/// A check is answered only by a read that started after it was asked, so the answer is as fresh as its own
/// `getStatus` would have been. An activation the list does not show (it ended: cancelled, expired, finished) falls
/// back to `getStatus`, which says exactly how it ended. A read that failed transiently (a 429, a 5xx, a timeout)
/// answers its checks with that failure, as their own `getStatus` calls would most likely have been answered: sent
/// one each instead, they turned every failed read into a burst of calls against a supplier that had just said to
/// slow down, and the purchases behind them were refused too. Any other failure falls back to `getStatus`. Checks of
/// activations in any other situation (a code already received, another code asked for, a cancel under way) never
/// come here: a listed code or "waiting" is ambiguous for them (see ``ActivationStateMachine/awaitsFirstCode``).
///
/// Reads for one supplier start at least four times as long apart as the last read took: a list is every open number
/// of the key, and read back to back under load (thousands of entries) it cost a worker more than the checks it
/// saved. Past that, a read starts once ``eagerBatch`` checks wait, or else once ``spacing`` has passed since the
/// last one began. A check waits for at most that long plus the read. Waiting checks hold their follow-ups' in-flight
/// slots: with the spacing alone, a worker with 13,000 numbers waiting and polls a minute apart answered about 33
/// checks a second (1,000 slots over a 15 s spacing) of the 300 due, fell minutes behind and stopped taking requests.
/// No task of its own: the first check of a round reads the list and hands the next round to the first check that
/// arrived meanwhile.
final class StatusBoard: Sendable {
    typealias Listing = [String: SupplierStatus]

    /// A read of the list: its entries by activation ID, or why it failed.
    private enum Read {
        case listed(Listing)
        case failed(SupplierFailure)
    }

    private enum Handoff {
        /// Read the list for the checks waiting now.
        case lead
        /// The read that started after this check was asked.
        case listed(Read)
    }

    private struct Round {
        var reading = false
        var waiting: [CheckedContinuation<Handoff, Never>] = []
        /// When the next read starts however few checks wait.
        var nextRead: ContinuousClock.Instant?
        /// When the next read may start if ``StatusBoard/eagerBatch`` checks wait.
        var earliestRead: ContinuousClock.Instant?
    }

    private let gateway: SupplierGateway
    /// The most time between the starts of two reads for one supplier while checks wait.
    let spacing: Duration
    /// How many waiting checks (the reading one included) start a read before ``spacing`` has passed.
    let eagerBatch: Int
    private let rounds = Mutex<[String: Round]>([:])

    /// How often a round's reader looks whether enough checks wait.
    private static let batchLook = Duration.milliseconds(10)

    init(gateway: SupplierGateway, spacing: Duration, eagerBatch: Int = 64) {
        self.gateway = gateway
        self.spacing = spacing
        self.eagerBatch = max(eagerBatch, 1)
    }

    /// The supplier's status of `activation`, as `getStatus` would answer it.
    func status(_ activation: SupplierActivationRef) async -> PollResult {
        switch await listing(activation.supplier) {
        case .listed(let listing):
            if let status = listing[activation.activationID] { return status.pollResult }
        case .failed(let failure):
            if failure.kind.isTransient { return .failed(failure) }
        }
        return await gateway.status(activation)
    }

    /// A read of the supplier's active list that started after this call.
    private func listing(_ supplier: String) async -> Read {
        let handoff = await withCheckedContinuation { (continuation: CheckedContinuation<Handoff, Never>) in
            rounds.withLock { rounds in
                if rounds[supplier, default: Round()].reading {
                    rounds[supplier, default: Round()].waiting.append(continuation)
                } else {
                    rounds[supplier, default: Round()].reading = true
                    continuation.resume(returning: .lead)
                }
            }
        }
        switch handoff {
        case .listed(let listing):
            return listing
        case .lead:
            await waitForRead(supplier)
            // Those waiting now asked before this read starts: it answers them too.
            let served = rounds.withLock { rounds in
                defer { rounds[supplier]?.waiting = [] }
                return rounds[supplier]?.waiting ?? []
            }
            let started = ContinuousClock.now
            let listing: Read = switch await gateway.activeActivations(supplier: supplier) {
            case .listed(let entries):
                .listed(Dictionary(entries.map { ($0.activationID, $0.status) }, uniquingKeysWith: { first, _ in first }))
            case .failed(let failure): .failed(failure)
            }
            let took = ContinuousClock.now - started
            for check in served { check.resume(returning: .listed(listing)) }
            // Checks asked during the read need a later one: the first of them reads it.
            rounds.withLock { rounds in
                rounds[supplier]?.nextRead = started + max(spacing, took * 4)
                rounds[supplier]?.earliestRead = started + took * 4
                if let next = rounds[supplier]?.waiting.first {
                    rounds[supplier]?.waiting.removeFirst()
                    next.resume(returning: .lead)
                } else {
                    rounds[supplier]?.reading = false
                }
            }
            return listing
        }
    }

    /// Waits until the round's read may start: four times the last read's length has passed and ``eagerBatch`` checks
    /// wait, or ``spacing`` has passed. Cancelled, it stops waiting (the read answers the checks that wait).
    private func waitForRead(_ supplier: String) async {
        guard let round = rounds.withLock({ $0[supplier] }), let spaced = round.nextRead else { return }
        let earliest = round.earliestRead ?? spaced
        do {
            if earliest > .now { try await Task.sleep(until: earliest, clock: .continuous) }
            while ContinuousClock.now < spaced, rounds.withLock({ $0[supplier]?.waiting.count ?? 0 }) + 1 < eagerBatch {
                try await Task.sleep(for: min(Self.batchLook, spaced - .now))
            }
        } catch {
            return
        }
    }
}
