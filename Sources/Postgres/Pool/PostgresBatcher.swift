import Basics

/// Sends single statements from concurrent callers together: the statements that wait while a batch runs go to
/// the server as the next pipeline, in one round trip and one commit (group commit).
///
/// Batches form as ``CallBatcher`` forms them: a lone statement waits for nothing, under load the next batch takes
/// up to ``maximumBatch`` queued statements in arrival order, and the caller at the head of the queue runs it.
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
    private let calls: CallBatcher<Statement, PostgresRows>

    /// A caller's statement and the priority it was sent with.
    private struct Statement: Sendable {
        var query: PostgresQuery
        var priority: PostgresPool.Priority
    }

    /// Creates a batcher over `pool`.
    ///
    /// - Parameters:
    ///   - concurrency: Batches running at once at most. Default: 2.
    ///   - maximumBatch: Statements per batch at most. Default: 64.
    public init(pool: PostgresPool, concurrency: Int = 2, maximumBatch: Int = 64) {
        self.pool = pool
        self.calls = CallBatcher(concurrency: concurrency, maximumBatch: maximumBatch) { batch in
            await Self.run(batch, on: pool)
        }
    }

    /// Batches running at once at most.
    public var concurrency: Int { calls.concurrency }
    /// Statements per batch at most.
    public var maximumBatch: Int { calls.maximumBatch }

    /// Statements waiting for a batch now.
    var queued: Int { calls.queued }

    /// Runs one statement, in a batch with whatever else waits.
    ///
    /// - Throws: As ``PostgresPool/query(_:_:)``.
    @discardableResult
    public func query(_ sql: String, _ binds: [any PostgresBindable] = []) async throws -> PostgresRows {
        try await calls.call(Statement(query: PostgresQuery(sql, binds), priority: PostgresPool.priority))
    }

    /// Runs `batch` (its first statement is the leading caller's), at the priority of its most urgent statement.
    ///
    /// When the leading caller's task was cancelled before the batch was sent, the other callers' statements are
    /// not run: they go back to the head of the queue instead of failing with a cancellation that is not theirs.
    private static func run(_ batch: [Statement], on pool: PostgresPool) async -> [CallBatcher<Statement, PostgresRows>.Answer] {
        let urgent = batch.contains { $0.priority == .urgent }
        return await PostgresPool.$priority.withValue(urgent ? .urgent : .normal) {
            do {
                let results = try await pool.withConnection { try await $0.pipeline(batch.map(\.query)) }
                return results.map { .done(.success($0)) }
            } catch let error as CancellationError {
                return [.done(.failure(error))] + Array(repeating: .notRun, count: batch.count - 1)
            } catch let error as PostgresError where error.code == .queryFailed && batch.count > 1 {
                // One statement failed and took the others' transaction with it: each alone, for its own answer.
                var answers: [CallBatcher<Statement, PostgresRows>.Answer] = []
                for statement in batch {
                    do {
                        answers.append(.done(.success(try await pool.query(statement.query.sql, statement.query.binds))))
                    } catch {
                        answers.append(.done(.failure(error)))
                    }
                }
                return answers
            } catch {
                return Array(repeating: .done(.failure(error)), count: batch.count)
            }
        }
    }
}
