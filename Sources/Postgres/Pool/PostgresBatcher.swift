import Synchronization

/// Sends single statements from concurrent callers together: the statements that wait while a batch runs go to
/// the server as the next pipeline, in one round trip and one commit (group commit).
///
/// A statement that finds fewer than ``concurrency`` batches running starts one at once, so a lone statement
/// waits for nothing; under load statements queue and the next batch takes up to ``maximumBatch`` of them in
/// arrival order. The caller whose statement starts a batch runs it, then hands the next batch to the caller at
/// the head of the queue: no task of its own, and nobody runs batches for others for longer than one batch.
///
/// The statements of a batch share one implicit transaction: when one fails, the others are rolled back with it
/// and each is run again alone, so every caller gets its own statement's rows or error, as from
/// ``PostgresPool/query(_:_:)``. A lost connection fails the whole batch with the same retriable error (a
/// statement is then committed or not as a whole batch: retry as after any lost reply). Only statements that are
/// complete units on their own belong here: no `BEGIN`/`COMMIT`, no session state, correct in any order. Two
/// batches that lock the same rows in opposite orders deadlock; PostgreSQL breaks that after `deadlock_timeout`,
/// and the statements are then run alone.
public final class PostgresBatcher: Sendable {
    /// The connections statements are sent on.
    public let pool: PostgresPool
    /// Batches running at once at most.
    public let concurrency: Int
    /// Statements per batch at most.
    public let maximumBatch: Int
    private let state = Mutex(State())

    private struct State {
        var queue: [Entry] = []
        var running = 0
    }

    /// Creates a batcher over `pool`.
    ///
    /// - Parameters:
    ///   - concurrency: Batches running at once at most. Default: 2.
    ///   - maximumBatch: Statements per batch at most. Default: 64.
    public init(pool: PostgresPool, concurrency: Int = 2, maximumBatch: Int = 64) {
        precondition(concurrency > 0 && maximumBatch > 0, "a batcher needs room for one batch of one statement")
        self.pool = pool
        self.concurrency = concurrency
        self.maximumBatch = maximumBatch
    }

    /// Statements waiting for a batch now.
    var queued: Int { state.withLock { $0.queue.count } }

    /// Runs one statement, in a batch with whatever else waits.
    ///
    /// - Throws: As ``PostgresPool/query(_:_:)``.
    @discardableResult
    public func query(_ sql: String, _ binds: [any PostgresBindable] = []) async throws -> PostgresRows {
        let entry = Entry(PostgresQuery(sql, binds), priority: PostgresPool.priority)
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

    /// Runs `first` with the statements queued behind it, then passes the lead to the next in the queue.
    private func runBatch(startingWith first: Entry) async {
        let batch = state.withLock { state in
            let taken = min(state.queue.count, maximumBatch - 1)
            defer { state.queue.removeFirst(taken) }
            return [first] + state.queue.prefix(taken)
        }
        let urgent = batch.contains { $0.priority == .urgent }
        let unsent = await PostgresPool.$priority.withValue(urgent ? .urgent : .normal) { await run(batch) }
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

    /// Runs `batch` (its first entry is the caller's) and gives each entry its outcome.
    ///
    /// - Returns: The other callers' entries when the caller's task was cancelled before the batch was sent: their
    ///   statements go back to the head of the queue instead of failing with a cancellation that is not theirs.
    private func run(_ batch: [Entry]) async -> [Entry] {
        do {
            let results = try await pool.withConnection { try await $0.pipeline(batch.map(\.query)) }
            for (entry, rows) in zip(batch, results) { entry.finish(.success(rows)) }
        } catch let error as CancellationError {
            batch[0].finish(.failure(error))
            return Array(batch.dropFirst())
        } catch let error as PostgresError where error.code == .queryFailed && batch.count > 1 {
            // One statement failed and took the others' transaction with it: each alone, for its own answer.
            for entry in batch {
                do {
                    entry.finish(.success(try await pool.query(entry.query.sql, entry.query.binds)))
                } catch {
                    entry.finish(.failure(error))
                }
            }
        } catch {
            for entry in batch { entry.finish(.failure(error)) }
        }
        return []
    }

    /// One caller's statement and what it waits for: its result, or its turn to run a batch.
    private final class Entry: Sendable {
        enum Turn: Sendable {
            case done(Result<PostgresRows, any Error>)
            case lead
        }

        private enum Outcome {
            case waiting(CheckedContinuation<Turn, Never>?)
            case ready(Turn)
        }

        let query: PostgresQuery
        let priority: PostgresPool.Priority
        private let outcome = Mutex(Outcome.waiting(nil))

        init(_ query: PostgresQuery, priority: PostgresPool.Priority) {
            self.query = query
            self.priority = priority
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

        func finish(_ result: Result<PostgresRows, any Error>) { give(.done(result)) }

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
