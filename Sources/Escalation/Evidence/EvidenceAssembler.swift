import Activation
import Foundation

/// Builds the ``Evidence`` of a request from whatever is known about it.
///
/// The stored activation is preferred (its timeline is complete and it reflects the latest state), then the
/// persisted timeline, then the event's own summary. The result depends only on the source, so processing
/// a replayed event against the same stored activation assembles the same evidence.
public enum EvidenceAssembler {
    /// Timeline entry kinds that record a failure: they become ``ErrorRecord``s.
    static let failureKinds: Set<TimelineEntryKind> = [
        .intakeRejected, .purchaseFailed, .pollFailed, .endedBySupplier, .cancelDenied, .cancelFailed,
        .finishFailed, .anotherCodeFailed, .commandRejected,
    ]

    /// Assembles the evidence of `source`.
    public static func assemble(_ source: EvidenceSource) -> Evidence {
        let machine = source.machine
        let request = machine?.request
        let event = source.event
        let summary = event?.timeline
        // The activation's last event when it is terminal (the outcome), else the event being processed.
        let terminal = machine?.lastEvent.flatMap { $0.kind.isTerminal ? $0 : nil }
        let outcomeEvent = terminal ?? event ?? machine?.lastEvent

        let timeline: [TimelineEntry]
        let omitted: Int
        if let machine {
            (timeline, omitted) = (machine.timeline.entries, 0)
        } else if !source.timeline.isEmpty {
            (timeline, omitted) = (source.timeline, 0)
        } else {
            (timeline, omitted) = (summary?.entries ?? [], summary?.omittedEntries ?? 0)
        }
        let attempts = machine?.attempts ?? summary?.attempts ?? []
        let currency = request?.maxPrice.currency ?? event?.currency ?? summary?.ledger.currency ?? "USD"
        let ledger = machine?.ledger ?? summary?.ledger ?? HoldLedger(currency: currency)
        let lastChange = [timeline.last?.at, event?.occurredAt, outcomeEvent?.occurredAt].compactMap { $0 }.max()

        var evidence = Evidence(
            requestID: source.requestID,
            accountID: request?.accountID ?? event?.accountID,
            accountEmail: source.accountEmail,
            idempotencyKey: request?.idempotencyKey,
            service: request?.service ?? event?.service,
            countries: request?.countries ?? [event?.country].compactMap { $0 },
            numberType: request?.numberType ?? event?.numberType,
            maxPrice: request?.maxPrice,
            submittedAt: request?.submittedAt,
            state: (machine?.state ?? event?.state)?.rawValue,
            outcome: source.stuck ? "stuck" : outcomeEvent?.kind.rawValue ?? "unknown",
            reasonCode: source.stuck ? "stuck" : outcomeEvent?.reasonCode,
            reason: source.stuck ? "no terminal event within the activation's lifetime and grace" : outcomeEvent?.reason,
            lastChangeAt: lastChange ?? Date(timeIntervalSince1970: 0),
            attempts: attempts,
            timeline: timeline,
            omittedTimelineEntries: omitted,
            errors: errors(in: timeline, attempts: attempts),
            decisions: timeline.filter { $0.kind == .retryDecided || $0.kind == .gaveUp },
            cancellations: cancellations(attempts: attempts, timeline: timeline),
            money: MoneyState(ledger),
            summary: "")
        evidence.summary = EvidenceSummary.text(for: evidence)
        return evidence
    }

    private static func errors(in timeline: [TimelineEntry], attempts: [AttemptRecord]) -> [ErrorRecord] {
        timeline.filter { failureKinds.contains($0.kind) }.map { entry in
            ErrorRecord(
                at: entry.at, attempt: entry.attempt,
                supplier: attempts.first { $0.spec.number == entry.attempt }?.spec.route.supplier,
                step: entry.kind.rawValue, reasonCode: entry.reasonCode, detail: entry.detail, reply: entry.supplierReply)
        }
    }

    private static func cancellations(attempts: [AttemptRecord], timeline: [TimelineEntry]) -> [CancellationWindow] {
        attempts.compactMap { attempt in
            guard let number = attempt.number else { return nil }
            return CancellationWindow(
                attempt: attempt.spec.number, supplier: attempt.spec.route.supplier,
                supplierActivationID: number.supplierActivationID, cancellableAt: number.cancellableAt,
                cancelRequestedAt: attempt.cancelRequestedAt, cancelledAt: attempt.cancelledAt,
                deniedAt: timeline.filter { $0.kind == .cancelDenied && $0.attempt == attempt.spec.number }.map(\.at))
        }
    }
}
