import Synchronization

/// Runs the calls of concurrent callers together: the calls that wait while a batch runs go as the next batch.
///
/// A call that finds fewer than ``concurrency`` batches running starts one at once, so a lone call waits for
/// nothing; under load calls queue and the next batch takes up to ``maximumBatch`` of them in arrival order. The
/// caller whose call starts a batch runs it, then hands the next batch to the caller at the head of the queue: no
/// task of its own, and nobody runs batches for others for longer than one batch.
///
/// `run` answers each item of a batch, in order: ``Answer/done(_:)`` with its result, or ``Answer/notRun`` for an
/// item it did not start (the leading caller was cancelled first): those go back to the head of the queue for the
/// next batch rather than failing with a cancellation that is not theirs.
public final class CallBatcher<Item: Sendable, Output: Sendable>: Sendable {
    /// What a batch did with one of its items.
    public enum Answer: Sendable {
        case done(Result<Output, any Error>)
        case notRun
    }

    /// Runs a batch (its first item is the leading caller's) and answers every item, in order.
    public typealias Run = @Sendable ([Item]) async -> [Answer]

    /// Batches running at once at most.
    public let concurrency: Int
    /// Items per batch at most.
    public let maximumBatch: Int
    private let run: Run
    private let state = Mutex(State())

    private struct State: ~Copyable {
        var queue: [Entry] = []
        var running = 0
    }

    /// - Parameters:
    ///   - concurrency: Batches running at once at most.
    ///   - maximumBatch: Items per batch at most.
    ///   - run: Runs one batch.
    public init(concurrency: Int, maximumBatch: Int, run: @escaping Run) {
        precondition(concurrency > 0 && maximumBatch > 0, "a batcher needs room for one batch of one item")
        self.concurrency = concurrency
        self.maximumBatch = maximumBatch
        self.run = run
    }

    /// Items waiting for a batch now.
    public var queued: Int { state.withLock { $0.queue.count } }

    /// Runs `item` in a batch with whatever else waits, and returns its output.
    ///
    /// - Throws: What `run` answered for the item.
    public func call(_ item: Item) async throws -> Output {
        let entry = Entry(item)
        let leads = state.withLock { state in
            guard state.running < concurrency else {
                state.queue.append(entry)
                return false
            }
            state.running += 1
            return true
        }
        if leads { await runBatch(startingWith: entry) }
        while true {
            switch await entry.turn() {
            case .done(let result): return try result.get()
            case .lead: await runBatch(startingWith: entry)
            }
        }
    }

    /// Runs `first` with the items queued behind it, then passes the lead to the next in the queue.
    private func runBatch(startingWith first: Entry) async {
        let batch = state.withLock { state in
            let taken = min(state.queue.count, maximumBatch - 1)
            defer { state.queue.removeFirst(taken) }
            return [first] + state.queue.prefix(taken)
        }
        // A closure: a key path into the generic `Entry` was built anew at every batch (about 1% of a worker).
        let answers = await run(batch.map { $0.item })
        precondition(answers.count == batch.count, "a batch answers each of its items")
        var unsent: [Entry] = []
        for (entry, answer) in zip(batch, answers) {
            switch answer {
            case .done(let result): entry.finish(result)
            case .notRun: unsent.append(entry)
            }
        }
        let next = state.withLock { state -> Entry? in
            state.queue.insert(contentsOf: unsent, at: 0)
            guard !state.queue.isEmpty else {
                state.running -= 1
                return nil
            }
            return state.queue.removeFirst()
        }
        next?.lead()
    }

    /// One caller's item and what it waits for: its result, or its turn to run a batch.
    private final class Entry: Sendable {
        enum Turn: Sendable {
            case done(Result<Output, any Error>)
            case lead
        }

        private enum Outcome {
            case waiting(CheckedContinuation<Turn, Never>?)
            case ready(Turn)
        }

        let item: Item
        private let outcome = Mutex(Outcome.waiting(nil))

        init(_ item: Item) {
            self.item = item
        }

        /// Waits for the result or the lead, whichever is given (each is given once).
        func turn() async -> Turn {
            await withCheckedContinuation { continuation in
                let ready = outcome.withLock { outcome -> Turn? in
                    guard case .ready(let turn) = outcome else {
                        outcome = .waiting(continuation)
                        return nil
                    }
                    outcome = .waiting(nil)
                    return turn
                }
                if let ready { continuation.resume(returning: ready) }
            }
        }

        func finish(_ result: Result<Output, any Error>) { give(.done(result)) }

        func lead() { give(.lead) }

        private func give(_ turn: Turn) {
            let waiting = outcome.withLock { outcome -> CheckedContinuation<Turn, Never>? in
                guard case .waiting(let continuation) = outcome, let continuation else {
                    outcome = .ready(turn)
                    return nil
                }
                outcome = .waiting(nil)
                return continuation
            }
            waiting?.resume(returning: turn)
        }
    }
}
