import Activation
import Foundation

/// ``ActivationStoring`` in memory, with the rules of ``ActivationStore`` that the engine relies on: one row per
/// idempotency key and request ID, the hold placed with the row against the account's available balance, steps
/// written only at their expected version and recognised by their step ID, money moved with the step (a debit or
/// release never beyond what is held), one owner per supplier activation, the fencing epoch.
///
/// Rows keep their whole timeline (``restoringTimeline(of:)`` has nothing to add). Wake times are kept on
/// `clock`, the engine's, so ``stalledActivations(topic:partitions:stallTimeout:limit:)`` answers in its time.
actor InMemoryActivationStore: ActivationStoring {
    private struct Row {
        var stored: StoredActivation
        var wakeAt: Date?
        var topic: String?
        var finished: Bool { stored.machine.state.isTerminal }
    }

    private let clock: any ActivationClock
    private var rows: [String: Row] = [:]
    private var byKey: [String: String] = [:]
    private var owners: [String: String] = [:]  // "supplier/activation ID" → request ID
    private(set) var accounts: [String: Account] = [:]
    private(set) var rejections: [ActivationStateMachine] = []
    private(set) var strays: [StrayNumber] = []
    /// Events stored with their steps and not yet acknowledged (event ID → request ID).
    private(set) var outbox: [String: String] = [:]
    /// Steps written (intakes and applied steps), and steps refused at their version.
    private(set) var written = 0
    private(set) var conflicts = 0

    init(clock: any ActivationClock, accounts: [Account] = []) {
        self.clock = clock
        for account in accounts { self.accounts[account.id] = account }
    }

    /// Every activation as stored.
    var activations: [StoredActivation] { rows.values.map(\.stored) }

    func account(id: String) -> Account? { accounts[id] }

    func intake(
        _ machine: ActivationStateMachine, actions: [ActivationAction], partition: Int32?, topic: String?,
        trace: TraceContext?, claimingPurchase claim: (attempt: Int, hold: Duration)?
    ) throws -> IntakeOutcome {
        let request = machine.request
        let fingerprint = request.fingerprint
        if let existingID = byKey[request.idempotencyKey] ?? rows[request.requestID].map({ _ in request.requestID }),
            let existing = rows[existingID]?.stored
        {
            let sameBody = existing.fingerprint == fingerprint && existing.idempotencyKey == request.idempotencyKey
                && existing.requestID == request.requestID
            return .duplicate(existing, sameBody: sameBody)
        }
        guard var account = accounts[request.accountID] else { return .unknownAccount }
        guard account.currency == request.maxPrice.currency else { return .currencyMismatch(accountCurrency: account.currency) }
        let money = try MoneyMovement(actions, currency: request.maxPrice.currency, requestID: request.requestID)
        guard money.debitMinor == 0, money.releaseMinor == 0 else {
            throw PoolStoreError(code: .invalidStep, message: "an intake can only place a hold", requestID: request.requestID)
        }
        guard account.availableMinor >= money.holdMinor else { return .insufficientBalance(availableMinor: account.availableMinor) }
        account.heldMinor += money.holdMinor
        accounts[account.id] = account

        let columns = try ActivationColumns(machine)
        let timeline = try TimelineBatch(machine, from: 0)
        var ledger = HoldLedger(currency: request.maxPrice.currency)
        ledger.heldMinor = money.holdMinor
        let now = clock.now
        var stored = StoredActivation(
            machine: machine, fingerprint: fingerprint, version: 1, ledger: ledger,
            stepID: ActivationStep.defaultID(snapshot: columns.snapshot, timeline: timeline, expectedVersion: 0),
            createdAt: now, updatedAt: now)
        stored.partition = partition
        stored.trace = trace
        var wake = ActivationStep.wakeInSeconds(of: machine, at: now)
        if let claim { wake = max(wake ?? 0, claim.hold.seconds) }
        rows[request.requestID] = Row(stored: stored, wakeAt: wake.map { now.addingTimeInterval($0) }, topic: topic)
        byKey[request.idempotencyKey] = request.requestID
        store(try OutboxBatch(actions, requestID: request.requestID, topic: nil), of: request.requestID)
        written += 1
        stored.purchaseClaim = claim.map { PurchaseClaim(attempt: $0.attempt, sentAt: .now) }
        return .created(stored)
    }

    func recordRejection(_ machine: ActivationStateMachine) {
        rejections.append(machine)
    }

    func activation(requestID: String) -> StoredActivation? { rows[requestID]?.stored }

    func restoringTimeline(of activation: StoredActivation) -> StoredActivation {
        rows[activation.requestID]?.stored ?? activation
    }

    func unfinishedActivations(topic: String?, partitions: [Int32]) -> [String] {
        rows.values.filter { row in
            guard !row.finished, let partition = row.stored.partition, partitions.contains(partition) else { return false }
            return topic == nil || row.topic == nil || row.topic == topic
        }.map(\.stored.requestID)
    }

    func activations(requestIDs: [String]) -> [StoredActivation] {
        requestIDs.compactMap { rows[$0]?.stored }
    }

    func stalledActivations(
        topic: String?, partitions: [Int32]?, stallTimeout: Duration, limit: Int
    ) -> [(requestID: String, version: Int64)] {
        let before = clock.now.addingTimeInterval(-stallTimeout.seconds)
        return rows.values
            .filter { row in
                guard !row.finished, let wake = row.wakeAt, wake < before else { return false }
                if let partitions, let partition = row.stored.partition, !partitions.contains(partition) { return false }
                if let topic, let rowTopic = row.topic, rowTopic != topic { return false }
                return true
            }
            .sorted { $0.wakeAt! < $1.wakeAt! }
            .prefix(limit)
            .map { ($0.stored.requestID, $0.stored.version) }
    }

    func apply(_ step: ActivationStep) throws -> ApplyOutcome {
        guard var row = rows[step.requestID] else { return .notFound }
        guard row.stored.version == step.expectedVersion else {
            if row.stored.version == step.expectedVersion + 1 && row.stored.lastStepID == step.stepID {
                return .alreadyApplied(row.stored)
            }
            conflicts += 1
            return .conflict(current: row.stored)
        }
        let money = try MoneyMovement(step.actions, currency: row.stored.ledger.currency, requestID: step.requestID)
        var ledger = row.stored.ledger
        ledger.heldMinor += money.holdMinor
        ledger.debitedMinor += money.debitMinor
        ledger.releasedMinor += money.releaseMinor
        guard var account = accounts[row.stored.accountID] else {
            throw PoolStoreError(code: .invariantViolated, message: "the activation's account is gone", requestID: step.requestID)
        }
        account.heldMinor += money.holdMinor - money.debitMinor - money.releaseMinor
        account.balanceMinor -= money.debitMinor
        guard ledger.debitedMinor + ledger.releasedMinor <= ledger.heldMinor, account.heldMinor >= 0,
            money.holdMinor == 0 || account.availableMinor >= 0
        else {
            throw PoolStoreError(code: .invariantViolated, message: "the step's money breaks a rule", requestID: step.requestID)
        }
        if let supplier = step.columns.supplier, let id = step.columns.supplierActivationID {
            let key = "\(supplier)/\(id)"
            if let owner = owners[key], owner != step.requestID {
                throw PoolStoreError(code: .supplierActivationTaken, message: "owned by \(owner)", requestID: step.requestID)
            }
            owners[key] = step.requestID
        }
        accounts[account.id] = account
        let outbox = try OutboxBatch(step.actions, requestID: step.requestID, topic: step.eventsTopic)
        store(outbox, of: step.requestID)

        let now = clock.now
        var stored = StoredActivation(
            machine: step.machine, fingerprint: row.stored.fingerprint, version: row.stored.version + 1, ledger: ledger,
            stepID: step.stepID, createdAt: row.stored.createdAt, updatedAt: now)
        stored.epoch = row.stored.epoch + (step.bumpsEpoch ? 1 : 0)
        stored.partition = row.stored.partition
        stored.trace = row.stored.trace
        row.stored = stored
        row.wakeAt = step.wakeInSeconds.map { now.addingTimeInterval($0) }
        rows[step.requestID] = row
        written += 1
        stored.stepEvents = outbox.encodedByEventID
        return .applied(stored)
    }

    func claimPurchase(requestID: String, epoch: Int64, hold: Duration, attempt: Int) -> Int64? {
        guard var row = rows[requestID], row.stored.epoch == epoch, !row.finished else { return nil }
        row.stored.version += 1
        row.wakeAt = clock.now.addingTimeInterval(hold.seconds)
        rows[requestID] = row
        return row.stored.version
    }

    func ownedSupplierActivations(supplier: String, ids: [String]) -> Set<String> {
        Set(ids.filter { owners["\(supplier)/\($0)"] != nil })
    }

    func recordStray(_ stray: StrayNumber) -> Bool {
        guard !strays.contains(where: { $0.supplier == stray.supplier && $0.supplierActivationID == stray.supplierActivationID })
        else { return false }
        strays.append(stray)
        return true
    }

    func deleteOutboxEvents(_ eventIDs: [String]) {
        for id in eventIDs { outbox[id] = nil }
    }

    private func store(_ batch: OutboxBatch, of requestID: String) {
        for id in batch.encodedByEventID.keys { outbox[id] = requestID }
    }
}
