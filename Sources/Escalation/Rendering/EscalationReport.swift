import Activation
import Foundation

/// An escalation as a person reads it: `otppool escalations show` (terminal text) and `export --format
/// markdown` (the package a support engineer sends on). Both carry every part of the evidence.
public struct EscalationReport: Sendable {
    /// The record.
    public var escalation: Escalation
    /// The reader's now, for relative times.
    public var now: Date

    public init(_ escalation: Escalation, now: Date = Date()) {
        self.escalation = escalation
        self.now = now
    }

    private var evidence: Evidence { escalation.evidence }
    private var parts: EvidenceText {
        EvidenceText(evidence, origin: evidence.timeline.first?.at ?? evidence.submittedAt ?? escalation.createdAt)
    }

    // MARK: Terminal text

    /// The readable timeline of `show`; `colour` adds ANSI colour (only on a terminal).
    public func text(colour: Bool) -> String {
        typealias S = TextTable.Style
        var out: [String] = []
        let parts = self.parts
        let status = escalation.status.rawValue.uppercased()
        let statusStyle: S = escalation.status == .resolved ? .green : escalation.status == .open ? .red : .yellow
        out.append([
            S.bold.apply(escalation.requestID, colour: colour), escalation.queue.rawValue,
            statusStyle.apply(status, colour: colour), parts.outcomeLine,
            "created \(RelativeTime.describe(escalation.createdAt, now: now)), updated \(RelativeTime.describe(escalation.updatedAt, now: now))",
        ].joined(separator: " · "))
        out.append(parts.requestLine)
        out.append("")
        out.append(S.bold.apply("Summary", colour: colour))
        out.append(contentsOf: parts.wrap(evidence.summary, width: 100).map { "  " + $0 })

        parts.section(&out, "Why it escalated", colour: colour, table: triggerTable)
        parts.section(&out, "Attempts", colour: colour, table: evidence.attempts.isEmpty ? nil : parts.attemptTable)
        parts.section(&out, "Cancellation windows", colour: colour, table: evidence.cancellations.isEmpty ? nil : parts.cancellationTable)
        out.append("")
        out.append(S.bold.apply("Money", colour: colour))
        out.append("  " + parts.moneyLine)
        parts.section(&out, "Supplier and downstream errors (verbatim)", colour: colour, table: evidence.errors.isEmpty ? nil : parts.errorTable)
        parts.section(&out, "Retry decisions", colour: colour, table: evidence.decisions.isEmpty ? nil : parts.decisionTable)
        parts.section(
            &out, "Timeline (from \(RFC3339.format(parts.origin)))", colour: colour, table: parts.timelineTable(),
            note: evidence.omittedTimelineEntries > 0 ? "\(evidence.omittedTimelineEntries) middle entries were left out of the event's summary" : nil)
        if let resolution = escalation.resolution {
            out.append("")
            out.append(S.bold.apply("Resolution", colour: colour))
            out.append("  \(RelativeTime.describe(resolution.at, now: now))\(resolution.by.map { " by \($0)" } ?? ""): \(resolution.note)")
        }
        return out.joined(separator: "\n")
    }

    private var triggerTable: TextTable {
        var table = TextTable(header: ["WHEN", "RULE", "QUEUE", "FROM", "WHAT"])
        for trigger in escalation.triggers {
            table.append([.init(RelativeTime.describe(trigger.at, now: now)), .init(trigger.rule), .init(trigger.queue.rawValue),
                          .init(trigger.id), .init(trigger.detail)])
        }
        return table
    }
}
