import Foundation

/// The lifecycle of one activation as a value: inputs in, ``ActivationAction``s out.
///
/// The machine decides; the worker performs. Each mutating method takes one input (an intake result, a
/// supplier answer, a due follow-up, a client command) with the current time, updates the state and the
/// timeline, and returns the side effects to perform in order. Supplier answers that do not fit the state
/// throw ``TransitionError`` and leave the machine unchanged; stale follow-ups return no action; invalid
/// commands return a `command_rejected` event. Nothing traps.
///
/// The machine is `Codable`: the worker stores it as the activation's snapshot and loads it for the next
/// input. After a crash, ``resume(at:)`` gives the actions that pick the work up without buying twice.
public struct ActivationStateMachine: Sendable, Hashable, Codable {
    /// What the machine knows: the request and policy, fixed at intake, and the progress every step changes.
    ///
    /// Encoded as one flat object (the progress's keys beside `request` and `policy`), as when these were the
    /// machine's own stored properties.
    struct Fields: Sendable, Hashable, Codable {
        var request: ActivationRequest
        var policy: ActivationPolicy
        var progress: Progress

        private enum CodingKeys: String, CodingKey {
            case request, policy
        }

        init(request: ActivationRequest, policy: ActivationPolicy, progress: Progress) {
            self.request = request
            self.policy = policy
            self.progress = progress
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            request = try container.decode(ActivationRequest.self, forKey: .request)
            policy = try container.decode(ActivationPolicy.self, forKey: .policy)
            progress = try Progress(from: decoder)
        }

        func encode(to encoder: any Encoder) throws {
            try progress.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(request, forKey: .request)
            try container.encode(policy, forKey: .policy)
        }
    }

    /// What steps change: the machine without its request and policy, which never change after intake.
    ///
    /// The store writes this as the snapshot of every step and keeps the request and the policy in columns of
    /// their own, written once; ``init(request:policy:progress:)`` puts the three together again.
    public struct Progress: Sendable, Hashable, Codable {
        public internal(set) var state: ActivationState
        var startedAt: Date
        var context: RetryContext?
        public internal(set) var attempts: [AttemptRecord]
        var timeline: Timeline
        var ledger: HoldLedger
        var lastEvent: ActivationEvent?
        var lastEventSummaryThrough: Int?
        var eventSequence: Int
        var flags: Flags
        var handledCommands: [String]
    }

    /// The fields behind one reference, copied on the first change of a shared one (as an array is).
    ///
    /// `@unchecked Sendable`: `fields` changes only through ``ActivationStateMachine/unique``, which copies the
    /// storage first unless this machine holds the only reference, so a storage another value or thread can see
    /// never changes.
    private final class Storage: @unchecked Sendable {
        var fields: Fields

        init(_ fields: Fields) {
            self.fields = fields
        }
    }

    /// Inline, the fields were more than a kilobyte with about thirty references: every async frame holding a
    /// stored row held that, a worker runs a thousand such tasks, and each copy retained every reference.
    private var storage: Storage

    /// The fields, made this machine's own first.
    private var unique: Fields {
        get { storage.fields }
        _modify {
            if !isKnownUniquelyReferenced(&storage) { storage = Storage(storage.fields) }
            yield &storage.fields
        }
    }

    /// The client's request.
    public internal(set) var request: ActivationRequest {
        get { storage.fields.request }
        _modify { yield &unique.request }
    }
    /// The timing and retry rules (stored with the snapshot; set it again after loading to apply new config).
    public var policy: ActivationPolicy {
        get { storage.fields.policy }
        _modify { yield &unique.policy }
    }
    /// Where the activation stands.
    public internal(set) var state: ActivationState {
        get { storage.fields.progress.state }
        _modify { yield &unique.progress.state }
    }
    /// When the worker took the request in; the retry time budget runs from here.
    public internal(set) var startedAt: Date {
        get { storage.fields.progress.startedAt }
        _modify { yield &unique.progress.startedAt }
    }
    /// The pool's suppliers and accepted number types, known once the intake is confirmed.
    public internal(set) var context: RetryContext? {
        get { storage.fields.progress.context }
        _modify { yield &unique.progress.context }
    }
    /// Every attempt, the current one last.
    public internal(set) var attempts: [AttemptRecord] {
        get { storage.fields.progress.attempts }
        _modify { yield &unique.progress.attempts }
    }
    /// Everything that happened.
    public internal(set) var timeline: Timeline {
        get { storage.fields.progress.timeline }
        _modify { yield &unique.progress.timeline }
    }
    /// The hold and what became of it.
    public internal(set) var ledger: HoldLedger {
        get { storage.fields.progress.ledger }
        _modify { yield &unique.progress.ledger }
    }
    /// The last event emitted (re-emitted on redelivery of the request; same event ID), without its code and
    /// timeline summary (``reemittableEvent`` has the summary).
    public internal(set) var lastEvent: ActivationEvent? {
        get { storage.fields.progress.lastEvent }
        _modify { yield &unique.progress.lastEvent }
    }
    /// How many timeline entries ``lastEvent``'s summary covered, when it had one (the summary is built again
    /// from the timeline, attempts and ledger, which a finished activation no longer changes).
    var lastEventSummaryThrough: Int? {
        get { storage.fields.progress.lastEventSummaryThrough }
        _modify { yield &unique.progress.lastEventSummaryThrough }
    }
    /// Events emitted so far; the next event's ID uses the next number.
    public internal(set) var eventSequence: Int {
        get { storage.fields.progress.eventSequence }
        _modify { yield &unique.progress.eventSequence }
    }
    /// Progress of supplier calls and client wishes that outlive one input.
    var flags: Flags {
        get { storage.fields.progress.flags }
        _modify { yield &unique.progress.flags }
    }
    /// Command IDs already handled (the most recent 64), so redelivered commands are ignored.
    var handledCommands: [String] {
        get { storage.fields.progress.handledCommands }
        _modify { yield &unique.progress.handledCommands }
    }

    /// Starts the record of a request that passed wire validation; state ``ActivationState/received``.
    public init(request: ActivationRequest, policy: ActivationPolicy = ActivationPolicy(), at now: Date) {
        self.storage = Storage(Fields(
            request: request, policy: policy,
            progress: Progress(
                state: .received, startedAt: now, context: nil, attempts: [], timeline: Timeline(),
                ledger: HoldLedger(currency: request.maxPrice.currency), lastEvent: nil, lastEventSummaryThrough: nil,
                eventSequence: 0, flags: Flags(), handledCommands: [])))
        self.note(.requestReceived, "request received: \(request.service) in \(request.countries.joined(separator: ", ")), "
                  + "max price \(request.maxPrice)", at: now)
    }

    /// The machine whose request and policy were stored apart from its `progress` (see ``Progress``).
    public init(request: ActivationRequest, policy: ActivationPolicy, progress: Progress) {
        self.storage = Storage(Fields(request: request, policy: policy, progress: progress))
    }

    public init(from decoder: any Decoder) throws {
        self.storage = Storage(try Fields(from: decoder))
    }

    /// What steps change, the snapshot the store writes for each (see ``Progress``).
    public var progress: Progress { storage.fields.progress }

    /// The snapshot: the fields' keys, as when they were the machine's own stored properties.
    public func encode(to encoder: any Encoder) throws {
        try storage.fields.encode(to: encoder)
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.storage === rhs.storage || lhs.storage.fields == rhs.storage.fields
    }

    public func hash(into hasher: inout Hasher) {
        storage.fields.hash(into: &hasher)
    }

    /// The current (last) attempt.
    public var currentAttempt: AttemptRecord? { self.attempts.last }

    /// The current attempt's supplier activation, once a number is bought.
    public var currentActivation: SupplierActivationRef? { self.attempts.last?.supplierActivation }

    /// Confirms the intake checks passed: places the hold and starts the first purchase.
    ///
    /// - Parameters:
    ///   - context: the suppliers of the request's pool and the number types it accepts.
    ///   - now: the current time.
    /// - Throws: ``TransitionError`` unless the state is ``ActivationState/received``.
    public mutating func intakeConfirmed(context: RetryContext, at now: Date) throws(TransitionError)
        -> [ActivationAction]
    {
        try self.require([.received], "intakeConfirmed")
        guard let spec = self.policy.retry.firstAttempt(for: self.request, context: context) else {
            return self.reject(
                RejectionReason(.noInventory, "the supplier pool has no supplier; configure one"), at: now)
        }
        self.context = context
        self.note(.intakeConfirmed, "intake confirmed; pool \(context.suppliers.joined(separator: ", "))", at: now)
        self.ledger.hold(self.request.maxPrice)
        self.note(.holdPlaced, "held \(self.request.maxPrice)", at: now, amount: self.request.maxPrice)
        return [.placeHold(self.request.maxPrice)] + self.startAttempt(spec, notBefore: nil, at: now)
    }

    /// Refuses the request at intake (unknown service, no balance, duplicate key with another body …).
    ///
    /// - Throws: ``TransitionError`` unless the state is ``ActivationState/received``.
    public mutating func intakeRejected(_ reason: RejectionReason, at now: Date) throws(TransitionError)
        -> [ActivationAction]
    {
        try self.require([.received], "intakeRejected")
        return self.reject(reason, at: now)
    }

    private mutating func reject(_ reason: RejectionReason, at now: Date) -> [ActivationAction] {
        self.state = .rejected
        self.note(.intakeRejected, reason.description, at: now, reasonCode: reason.code.rawValue)
        var event = ActivationEvent.rejected(
            requestID: self.request.requestID, accountID: self.request.accountID, service: self.request.service,
            reason: reason, at: now)
        event.timeline = self.summary
        self.eventSequence += 1
        return [self.recorded(event)]
    }

    /// Begins attempt `spec`: now, or at `notBefore` through a follow-up.
    mutating func startAttempt(_ spec: AttemptSpec, notBefore: Date?, at now: Date) -> [ActivationAction] {
        self.attempts.append(AttemptRecord(spec: spec, startedAt: now))
        self.state = .allocating
        if let notBefore {
            self.flags.pendingPurchaseAt = notBefore
            self.note(.purchaseScheduled, "purchase via \(spec.route) at \(RFC3339.format(notBefore))", at: now)
            return [.schedule(self.followUp(.purchase, at: notBefore))]
        }
        self.note(.purchaseStarted, "purchase via \(spec.route), reference \(spec.reference)", at: now)
        return [.purchase(spec)]
    }

    /// Throws unless the state is one of `states`.
    func require(_ states: Set<ActivationState>, _ input: String) throws(TransitionError) {
        guard states.contains(self.state) else {
            throw TransitionError(
                input: input, state: self.state,
                message: "expected \(states.map(\.rawValue).sorted().joined(separator: " or ")); drop the input "
                    + "if it is a redelivery, else report a driver bug")
        }
    }

    /// Appends a timeline entry for the current attempt and state.
    mutating func note(
        _ kind: TimelineEntryKind, _ detail: String, at now: Date, reply: String? = nil, reasonCode: String? = nil,
        amount: Money? = nil
    ) {
        self.timeline.append(TimelineEntry(
            at: now, kind: kind, attempt: self.attempts.last?.spec.number ?? 0, state: self.state, detail: detail,
            supplierReply: reply, reasonCode: reasonCode, amount: amount))
    }

    /// Changes the current attempt's record.
    mutating func updateAttempt(_ change: (inout AttemptRecord) -> Void) {
        guard !self.attempts.isEmpty else { return }
        change(&self.attempts[self.attempts.count - 1])
    }

    /// A follow-up for the current attempt.
    func followUp(_ kind: FollowUp.Kind, at due: Date) -> FollowUp {
        FollowUp(requestID: self.request.requestID, kind: kind, attempt: self.attempts.last?.spec.number ?? 0,
                 due: due)
    }

    /// Takes the timeline entries its snapshot left to the rows (see ``Timeline``), so a terminal event's summary
    /// and evidence have all of them.
    ///
    /// - Parameter stored: The activation's stored timeline entries, in order.
    /// - Returns: Whether the timeline is complete now (false when fewer were stored than it counts).
    @discardableResult
    public mutating func restoreTimeline(stored: [TimelineEntry]) -> Bool {
        self.timeline.restore(stored: stored)
    }

    /// The machine as its snapshot holds it: the timeline's entries left to the rows, their count kept.
    public func compacted() -> ActivationStateMachine {
        var compact = self
        compact.timeline = self.timeline.compacted()
        return compact
    }

    /// The summary terminal events carry.
    var summary: TimelineSummary {
        self.timeline.summary(attempts: self.attempts, ledger: self.ledger, limit: self.policy.timelineSummaryLimit)
    }
}
