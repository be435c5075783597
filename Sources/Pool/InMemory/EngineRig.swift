import Activation
import Foundation
import Logging
import Suppliers

/// An engine over values in memory: one account, the default catalogue's pool of two suppliers (the first and its
/// fallback), follow-ups kept until ``drive(maxRounds:)`` fires them on the manual clock. The engine's unit tests
/// and `otppool bench engine` drive it.
struct EngineRig {
    static let accountID = "acct-1"
    static let balanceMinor: Int64 = 1_000_000_000_000
    /// What each request may spend, and what each number costs, in minor units.
    static let maxPriceMinor: Int64 = 50
    static let priceMinor: Int64 = 25

    let clock: ManualClock
    let store: InMemoryActivationStore
    let publisher: RecordingPublisher
    let followUps = RecordingFollowUps()
    let matcher = UnusedMatcher()
    let suppliers: [InMemorySupplier]
    let engine: ActivationEngine
    let logger: Logger

    /// - Parameters:
    ///   - codeOnPoll: The status check on which each number's code arrives; nil: never.
    ///   - firstSupplierStock: Numbers the pool's first supplier sells before it answers `NO_NUMBERS`.
    ///   - losesEvery: The suppliers lose the answer of every n-th sale (see ``InMemorySupplier``).
    ///   - keepsEvents: Whether the publisher keeps every event (else it counts them by kind).
    init(
        codeOnPoll: Int? = 2, firstSupplierStock: Int = .max, losesEvery: Int? = nil, keepsEvents: Bool = true,
        logger: Logger = Logger(label: "otppool.engine.rig", factory: { _ in SwiftLogNoOpLogHandler() })
    ) throws {
        let clock = ManualClock()
        self.clock = clock
        self.logger = logger
        let catalogue = try Catalogue.makeDefault()
        let pool = try catalogue.pool(nil).suppliers
        let price = Decimal(Self.priceMinor) / 100
        suppliers = pool.enumerated().map { index, name in
            InMemorySupplier(
                name: name, clock: clock, price: price, stock: index == 0 ? firstSupplierStock : .max, codeOnPoll: codeOnPoll,
                losesEvery: losesEvery)
        }
        store = InMemoryActivationStore(
            clock: clock, accounts: [Account(id: Self.accountID, email: "ops@example.com", balanceMinor: Self.balanceMinor)])
        publisher = RecordingPublisher(keepsEvents: keepsEvents)
        engine = ActivationEngine(
            store: store, gateway: SupplierGateway(catalogue: catalogue, clients: suppliers, logger: logger),
            catalogue: catalogue, publisher: publisher, policy: ActivationPolicy(), followUps: followUps, matcher: matcher,
            clock: clock, bulkStatusChecks: false, logger: logger)
    }

    /// Another engine over the same store, suppliers and topics: a second worker.
    func anotherWorker() -> ActivationEngine {
        ActivationEngine(
            store: store, gateway: engine.gateway, catalogue: engine.catalogue, publisher: publisher, policy: engine.policy,
            followUps: followUps, matcher: matcher, clock: clock, bulkStatusChecks: false, logger: logger)
    }

    func request(_ number: Int) -> ActivationRequest {
        ActivationRequest(
            requestID: "req-\(number)", idempotencyKey: "key-\(number)", accountID: Self.accountID, service: "tg",
            countries: ["usa"], numberType: "any", maxPrice: Money(amountMinor: Self.maxPriceMinor, currency: "USD"),
            supplierPool: nil, submittedAt: clock.now, metadata: [:])
    }

    /// Takes the requests in at once, as a worker's partitions would.
    func intake(_ requests: [ActivationRequest]) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for request in requests { group.addTask { try await engine.intake(request, partition: 0) } }
            try await group.waitForAll()
        }
    }

    /// Fires follow-ups as they fall due, moving the clock to each due time (or to the earliest look the engine
    /// waits for itself), until none is pending and nothing sleeps on the clock.
    ///
    /// - Returns: How many times the clock moved.
    /// - Throws: ``DriveError`` when follow-ups are still pending after `maxRounds`, or the engine's own looks do not
    ///   settle.
    @discardableResult
    func drive(maxRounds: Int = 10_000) async throws -> Int {
        var rounds = 0
        while true {
            try await settle()
            guard let due = [followUps.earliestDue, clock.earliestWake].compactMap({ $0 }).min() else { return rounds }
            rounds += 1
            guard rounds <= maxRounds else {
                throw DriveError(description: "\(followUps.count) follow-ups still pending after \(maxRounds) rounds")
            }
            clock.advance(to: due)
            let fired = followUps.takeDue(by: due)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for followUp in fired { group.addTask { try await engine.handle(followUp) } }
                try await group.waitForAll()
            }
        }
    }

    /// Waits until every look the engine runs off its jobs (``ActivationEngine/inlineLooks``) sleeps on the clock or
    /// ended: they are the only ones that sleep on it.
    private func settle() async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while engine.inlineLooks.running > clock.sleeping {
            guard ContinuousClock.now < deadline else {
                throw DriveError(description: "the engine's own looks did not settle within 30 s (\(engine.inlineLooks.running) running)")
            }
            try await Task.sleep(for: .milliseconds(1))
        }
    }

    struct DriveError: Error, CustomStringConvertible {
        var description: String
    }
}
