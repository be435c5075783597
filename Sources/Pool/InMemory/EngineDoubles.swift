import Activation
import Foundation
import Suppliers
import Synchronization

/// A clock that moves only when told (``advance(to:)``); sleepers wake when it passes their deadline.
final class ManualClock: ActivationClock {
    private struct State {
        var now: Date
        var sleepers: [Int: (deadline: Date, wake: CheckedContinuation<Void, any Error>)] = [:]
        var nextSleeper = 0
    }

    private let state: Mutex<State>

    init(at start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        state = Mutex(State(now: start))
    }

    var now: Date { state.withLock { $0.now } }

    /// How many sleep on this clock now.
    var sleeping: Int { state.withLock { $0.sleepers.count } }

    /// The earliest deadline anyone sleeps until; nil when nobody sleeps.
    var earliestWake: Date? { state.withLock { $0.sleepers.values.map(\.deadline).min() } }

    /// Moves the clock to `time` (never back) and wakes whoever sleeps until then.
    func advance(to time: Date) {
        let woken = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
            state.now = max(state.now, time)
            let due = state.sleepers.filter { $0.value.deadline <= state.now }
            for key in due.keys { state.sleepers[key] = nil }
            return due.values.map(\.wake)
        }
        for wake in woken { wake.resume() }
    }

    func advance(by duration: Duration) {
        advance(to: now.addingTimeInterval(duration.seconds))
    }

    func sleep(until deadline: Date) async throws {
        let id = state.withLock { state in
            state.nextSleeper += 1
            return state.nextSleeper
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (wake: CheckedContinuation<Void, any Error>) in
                let asleep = state.withLock { state -> Bool in
                    guard deadline > state.now, !Task.isCancelled else { return false }
                    state.sleepers[id] = (deadline, wake)
                    return true
                }
                if !asleep { Task.isCancelled ? wake.resume(throwing: CancellationError()) : wake.resume() }
            }
        } onCancel: {
            state.withLock { $0.sleepers.removeValue(forKey: id) }?.wake.resume(throwing: CancellationError())
        }
    }
}

/// Counts the events the engine publishes by kind, and keeps them in order unless told not to (a benchmark's
/// hundred thousand events).
final class RecordingPublisher: EventPublishing {
    let topics = ActivationTopics(requests: "requests", commands: "commands", events: "events", deadLetters: "dead-letters")
    private let keepsEvents: Bool
    private let published = Mutex<(events: [ActivationEvent], counts: [ActivationEventKind: Int])>(([], [:]))

    init(keepsEvents: Bool = true) {
        self.keepsEvents = keepsEvents
    }

    /// Every event published, in order; empty when not kept.
    var events: [ActivationEvent] { published.withLock { $0.events } }

    /// How many events of each kind were published.
    var counts: [ActivationEventKind: Int] { published.withLock { $0.counts } }

    func publish(_ events: [ActivationEvent], trace: TraceContext?, encoded: [String: Data]) async throws {
        published.withLock { published in
            if keepsEvents { published.events += events }
            for event in events { published.counts[event.kind, default: 0] += 1 }
        }
    }

    /// Publishes at once and says so.
    func hand(
        _ events: [ActivationEvent], trace: TraceContext?, encoded: [String: Data],
        delivered: @escaping @Sendable ((any Error)?) -> Void
    ) async throws {
        try await publish(events, trace: trace, encoded: encoded)
        delivered(nil)
    }

    /// The events of one kind, by request ID (the last one of each).
    func last(_ kind: ActivationEventKind) -> [String: ActivationEvent] {
        Dictionary(events.filter { $0.kind == kind }.map { ($0.requestID, $0) }, uniquingKeysWith: { _, last in last })
    }
}

/// Keeps the follow-ups the engine schedules until the test fires them (``takeDue(by:)``).
final class RecordingFollowUps: FollowUpScheduling {
    private let pending = Mutex<[ScheduledFollowUp]>([])
    private let losing = Atomic<Bool>(false)
    private let held = Mutex<(deliveries: [@Sendable () -> Void], holding: Bool)>(([], false))

    func schedule(_ followUps: [ScheduledFollowUp]) async throws {
        guard !losing.load(ordering: .relaxed) else { return }  // written, never read: a tier nobody reads
        pending.withLock { $0 += followUps }
    }

    /// Keeps them at once and says so, or, while deliveries are held (``holdDeliveries()``), says so only at
    /// ``releaseDeliveries()``.
    func hand(_ followUps: [ScheduledFollowUp], delivered: @escaping @Sendable ((any Error)?) -> Void) async {
        do {
            try await schedule(followUps)
        } catch {
            return delivered(error)
        }
        let now = held.withLock { held -> Bool in
            guard held.holding else { return true }
            held.deliveries.append { delivered(nil) }
            return false
        }
        if now { delivered(nil) }
    }

    /// Keeps them as a worker that keeps follow-ups in memory does (``LocalFollowUps``), even while losing.
    func rearm(_ followUps: [ScheduledFollowUp]) -> Int {
        pending.withLock { $0 += followUps }
        return followUps.count
    }

    /// From now on handed follow-ups are kept at once but reported written only at ``releaseDeliveries()``, as
    /// from a broker that answers late.
    func holdDeliveries() {
        held.withLock { $0.holding = true }
    }

    /// Reports every held hand-off written, and reports later ones at once again.
    func releaseDeliveries() {
        let deliveries = held.withLock { held in
            defer { held = ([], false) }
            return held.deliveries
        }
        for delivered in deliveries { delivered() }
    }

    /// Hand-offs reported only at ``releaseDeliveries()``.
    var heldDeliveries: Int { held.withLock { $0.deliveries.count } }

    /// From now on every follow-up is accepted and never fires, as on a tier partition its worker does not read.
    func loseEverything() {
        losing.store(true, ordering: .relaxed)
    }

    /// When the earliest pending follow-up is due; nil when none is pending.
    var earliestDue: Date? { pending.withLock { $0.map(\.dueAt).min() } }

    var count: Int { pending.withLock { $0.count } }

    /// Removes and returns the follow-ups due by `time`, in due order.
    func takeDue(by time: Date) -> [ScheduledFollowUp] {
        pending.withLock { pending in
            let due = pending.filter { $0.dueAt <= time }.sorted { $0.dueAt < $1.dueAt }
            pending.removeAll { $0.dueAt <= time }
            return due
        }
    }
}

/// A matcher for catalogues whose suppliers replay references (the engine then never asks it); counts the looks.
final class UnusedMatcher: PurchaseMatching {
    private let looks = Atomic<Int>(0)

    var asked: Int { looks.load(ordering: .relaxed) }

    func find(_ attempt: AttemptSpec, requestID: String, notBefore: Date, notAfter: Date) async -> SupplierGateway.ReconcileOutcome {
        looks.add(1, ordering: .relaxed)
        return .matched(nil)
    }
}

/// A supplier in memory, on the test's clock: sells numbers at ``price`` while ``stock`` lasts, answers a repeated
/// reference with its first sale, sends a code on the ``codeOnPoll``-th status check (never when nil), and counts
/// what it was asked.
final class InMemorySupplier: SupplierClient {
    struct Order: Sendable {
        var reference: String
        var phone: String
        var status: SupplierStatus
        var polls = 0
    }

    struct Counts: Sendable, Equatable {
        var buys = 0
        var statusChecks = 0
        var finishes = 0
        var cancels = 0

        /// Every call counted.
        var calls: Int { buys + statusChecks + finishes + cancels }
    }

    let name: String
    let price: Decimal
    private let clock: ManualClock
    private let codeOnPoll: Int?
    private let losesEvery: Int?
    private let state: Mutex<(orders: [String: Order], byReference: [String: String], stock: Int, counts: Counts)>

    /// - Parameters:
    ///   - losesEvery: Every n-th purchase sells its number and then times out, as an answer lost on the way back
    ///     (asking again under its reference gets the number sold); nil: none.
    init(
        name: String, clock: ManualClock, price: Decimal = Decimal(string: "0.25")!, stock: Int = .max,
        codeOnPoll: Int? = 2, losesEvery: Int? = nil
    ) {
        self.name = name
        self.clock = clock
        self.price = price
        self.codeOnPoll = codeOnPoll
        self.losesEvery = losesEvery
        state = Mutex(([:], [:], stock, Counts()))
    }

    /// Numbers sold (each once, however often its reference was asked for).
    var sold: Int { state.withLock { $0.orders.count } }

    var counts: Counts { state.withLock { $0.counts } }
    /// Orders neither finished nor cancelled.
    var open: Int { state.withLock { $0.orders.values.filter(\.status.isActive).count } }

    func buy(_ order: PurchaseOrder) async throws(SupplierError) -> PurchasedNumber {
        let now = clock.now
        let (sold, lost): (String?, Bool) = state.withLock { state in
            state.counts.buys += 1
            if let id = state.byReference[order.reference] { return (id, false) }
            guard state.stock > 0 else { return (nil, false) }
            state.stock -= 1
            let id = "\(name)-\(state.orders.count + 1)"
            state.orders[id] = Order(reference: order.reference, phone: "+1555\(100_000 + state.orders.count)", status: .waitingForCode)
            state.byReference[order.reference] = id
            return (id, losesEvery.map { state.orders.count % $0 == 0 } ?? false)
        }
        guard let sold else { throw SupplierError(supplier: name, code: .noInventory, action: "buy", message: "out of stock") }
        if lost { throw SupplierError(supplier: name, code: .timeout, action: "getNumber", message: "no answer within the timeout") }
        return PurchasedNumber(
            supplier: name, activationID: sold, phoneNumber: state.withLock { $0.orders[sold]!.phone }, cost: price,
            currency: "USD", purchasedAt: now, expiresAt: now.addingTimeInterval(1_200), cancellableAt: now)
    }

    func status(of activationID: String) async throws(SupplierError) -> SupplierStatus {
        let status = state.withLock { state -> SupplierStatus? in
            state.counts.statusChecks += 1
            guard var order = state.orders[activationID] else { return nil }
            order.polls += 1
            if order.status == .waitingForCode, let codeOnPoll, order.polls >= codeOnPoll {
                order.status = .codeReceived(code: "123456", text: "Your code is 123456")
            }
            state.orders[activationID] = order
            return order.status
        }
        guard let status else { throw noActivation(activationID) }
        return status
    }

    func markReady(_ activationID: String) async throws(SupplierError) {}

    func requestAnotherCode(_ activationID: String) async throws(SupplierError) {
        throw SupplierError(supplier: name, code: .unsupported, action: "setStatus", message: "not in this test")
    }

    func finish(_ activationID: String) async throws(SupplierError) {
        try end(activationID, as: .finished(code: "123456"), counting: \.finishes)
    }

    func cancel(_ activationID: String) async throws(SupplierError) {
        try end(activationID, as: .cancelled, counting: \.cancels)
    }

    func activeActivations() async throws(SupplierError) -> [ActiveActivation] {
        throw SupplierError(supplier: name, code: .unsupported, action: "getActiveActivations", message: "not in this test")
    }

    func balance() async throws(SupplierError) -> Decimal { 1_000 }

    func offers(service: CatalogueService?, country: CatalogueCountry?) async throws(SupplierError) -> [SupplierOffer] { [] }

    private func end(_ activationID: String, as status: SupplierStatus, counting count: WritableKeyPath<Counts, Int>) throws(SupplierError) {
        let known = state.withLock { state -> Bool in
            state.counts[keyPath: count] += 1
            guard state.orders[activationID] != nil else { return false }
            state.orders[activationID]?.status = status
            return true
        }
        guard known else { throw noActivation(activationID) }
    }

    private func noActivation(_ id: String) -> SupplierError {
        SupplierError(supplier: name, code: .noActivation, action: "getStatus", message: "no activation \(id)")
    }
}
