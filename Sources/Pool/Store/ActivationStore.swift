import Activation
import Foundation
import Logging
import Postgres
import Basics

/// The PostgreSQL store of the activation workflow: accounts and their holds, activations (the state machine's
/// snapshot, write-ahead), and their timelines.
///
/// Every write is one SQL statement — atomic on its own (data-modifying CTEs), no explicit transaction — and
/// idempotent, so a call that failed retriably (``PoolStoreError/isRetriable``) can be made again as it is. What
/// callers send at the same time goes to the server together: intakes in one multi-row statement (``IntakeBatch``),
/// steps in another (``StepBatch``), each account's row written once per batch with the sum of its money; purchase
/// claims, reads of an activation and outbox deletes in one pipeline (``PostgresBatcher``). One round trip and one
/// commit per batch.
///
/// | call | statements | on redelivery |
/// |---|---|---|
/// | ``intake(_:actions:)`` | 1, shared with the batch (+1 to read the existing row or the account when nothing was inserted) | returns the existing activation; no second hold |
/// | ``apply(_:)`` | 1, shared with the batch (+1 to read the current row when the version moved) | `alreadyApplied`; no second debit or release |
/// | ``recordRejection(_:)`` | 1 | timeline entries inserted once |
///
/// Money follows ``ActivationAction``: `placeHold` adds to the account's `held_minor` (only while
/// `balance − held` covers it), `debitHold` takes the amount off both `held_minor` and `balance_minor`,
/// `releaseHold` off `held_minor`; the activation row records `hold_minor`, `debited_minor` and
/// `released_minor`, so balances reconcile to the cent. CHECK constraints make a negative balance, a hold above
/// the balance, or a debit plus release above the hold impossible, whatever the caller sends.
///
/// ```swift
/// let store = ActivationStore(pool: pool)
/// var machine = ActivationStateMachine(request: request, at: now)
/// let actions = try machine.intakeConfirmed(context: context, at: now)
/// switch try await store.intake(machine, actions: actions) {
/// case .created(let activation): …           // perform the actions (purchase …)
/// case .duplicate(let existing, let sameBody): …  // re-emit existing.machine.lastEvent, or reject
/// case .rejected(let reason): …              // intakeRejected(reason) on a fresh machine, recordRejection
/// }
/// ```
public struct ActivationStore: Sendable {
    /// The connections the store uses.
    public let pool: PostgresPool
    /// Sends the hot path's statements that callers send at the same time together: one round trip and one
    /// commit for all of them.
    let batcher: PostgresBatcher
    /// Writes the steps that callers send at the same time in one statement (``apply(_:)``).
    let steps: CallBatcher<StepBatch.Entry, PostgresRow?>
    /// Writes the intakes that callers send at the same time in one statement (``intake(_:actions:partition:topic:trace:claimingPurchase:)``).
    let intakes: CallBatcher<IntakeBatch.Entry, IntakeWritten?>
    /// The policy column of the intakes, encoded once while the policy stays the same.
    let encodedPolicies = LastEncoded<ActivationPolicy>()
    let logger: Logger

    /// Creates a store over a pool whose sessions see the ``PoolSchema`` tables (their `search_path`).
    ///
    /// - Parameter batchesInFlight: Batches of statements sent at once at most (``PostgresBatcher/concurrency``).
    ///   Default: 2.
    public init(pool: PostgresPool, batchesInFlight: Int = 2, logger: Logger = Logger(label: "otppool.store")) {
        self.pool = pool
        self.batcher = PostgresBatcher(pool: pool, concurrency: batchesInFlight)
        self.steps = CallBatcher(concurrency: batchesInFlight, maximumBatch: Self.maximumBatch) { entries in
            await Self.write(entries, on: pool)
        }
        self.intakes = CallBatcher(concurrency: batchesInFlight, maximumBatch: Self.maximumBatch) { entries in
            await Self.write(entries, on: pool)
        }
        self.logger = logger
    }

    /// Steps or intakes written in one statement at most.
    static let maximumBatch = 128

    /// Runs `body` with its database work ahead of the rest when connections are short (``PostgresPool/Priority``):
    /// the steps that store a supplier's answer to a write (a purchase, a look for a lost one, a cancel, a finish).
    /// Under load a statement waits for a connection behind hundreds of polls; a purchase's answer that waits there is
    /// a number listed at the supplier and owned by nobody yet, which a look for a lost purchase could take.
    public static func urgently<T>(
        isolation: isolated (any Actor)? = #isolation, _ body: () async throws -> T
    ) async rethrows -> T {
        try await PostgresPool.$priority.withValue(.urgent, operation: body)
    }

    /// Applies ``PoolSchema/migrations`` that are not applied yet (safe from several processes at once).
    ///
    /// - Returns: The migrations this call applied.
    /// - Throws: ``PoolStoreError`` with code `database` when a migration fails.
    @discardableResult
    public func migrate() async throws -> [Migration] {
        try await run("migrate", requestID: nil) {
            try await Migrator(migrations: PoolSchema.migrations, logger: logger).migrate(pool: pool)
        }
    }

    /// Runs database work, turning PostgreSQL's failures into ``PoolStoreError``s that say what to do; other
    /// errors (`CancellationError`, the store's own) pass through.
    @discardableResult
    func run<T>(
        _ operation: String, requestID: String?, isolation: isolated (any Actor)? = #isolation,
        _ body: () async throws -> T
    ) async throws -> T {
        do {
            return try await body()
        } catch let error as PostgresError {
            let storeError = PoolStoreError.database(error, operation, requestID: requestID)
            logger.debug("store call failed", metadata: ["store.error": "\(storeError)"])
            throw storeError
        }
    }
}
