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
    /// The first moment on record: timeline offsets count from here.
    private var origin: Date { evidence.timeline.first?.at ?? evidence.submittedAt ?? escalation.createdAt }

    private func offset(_ date: Date) -> String { "+" + RelativeTime.span(max(0, date.timeIntervalSince(origin))) }
    private func money(_ minor: Int64) -> String { Money(amountMinor: minor, currency: evidence.money.currency).description }

    // MARK: Terminal text

    /// The readable timeline of `show`; `colour` adds ANSI colour (only on a terminal).
    public func text(colour: Bool) -> String {
        typealias S = TextTable.Style
        var out: [String] = []
        let status = escalation.status.rawValue.uppercased()
        let statusStyle: S = escalation.status == .resolved ? .green : escalation.status == .open ? .red : .yellow
        out.append([
            S.bold.apply(escalation.requestID, colour: colour), escalation.queue.rawValue,
            statusStyle.apply(status, colour: colour), outcomeLine,
            "created \(RelativeTime.describe(escalation.createdAt, now: now)), updated \(RelativeTime.describe(escalation.updatedAt, now: now))",
        ].joined(separator: " · "))
        out.append(requestLine)
        out.append("")
        out.append(S.bold.apply("Summary", colour: colour))
        out.append(contentsOf: wrap(evidence.summary, width: 100).map { "  " + $0 })

        section(&out, "Why it escalated", colour: colour, table: triggerTable)
        section(&out, "Attempts", colour: colour, table: evidence.attempts.isEmpty ? nil : attemptTable)
        section(&out, "Cancellation windows", colour: colour, table: evidence.cancellations.isEmpty ? nil : cancellationTable)
        out.append("")
        out.append(S.bold.apply("Money", colour: colour))
        out.append("  " + moneyLine)
        section(&out, "Supplier and downstream errors (verbatim)", colour: colour, table: evidence.errors.isEmpty ? nil : errorTable)
        section(&out, "Retry decisions", colour: colour, table: evidence.decisions.isEmpty ? nil : decisionTable)
        section(
            &out, "Timeline (from \(RFC3339.format(origin)))", colour: colour, table: timelineTable,
            note: evidence.omittedTimelineEntries > 0 ? "\(evidence.omittedTimelineEntries) middle entries were left out of the event's summary" : nil)
        if let resolution = escalation.resolution {
            out.append("")
            out.append(S.bold.apply("Resolution", colour: colour))
            out.append("  \(RelativeTime.describe(resolution.at, now: now))\(resolution.by.map { " by \($0)" } ?? ""): \(resolution.note)")
        }
        return out.joined(separator: "\n")
    }

    private func section(_ out: inout [String], _ title: String, colour: Bool, table: TextTable?, note: String? = nil) {
        out.append("")
        out.append(TextTable.Style.bold.apply(title, colour: colour))
        guard let table else { return out.append("  (none)") }
        out.append(contentsOf: table.render(colour: colour).split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 })
        if let note { out.append("  (\(note))") }
    }

    private var outcomeLine: String {
        evidence.reasonCode.map { "\(evidence.outcome) (\($0))" } ?? evidence.outcome
    }

    private var requestLine: String {
        var parts: [String] = []
        parts.append("account " + (evidence.accountID ?? "unknown") + (evidence.accountEmail.map { " <\($0)>" } ?? ""))
        if let key = evidence.idempotencyKey { parts.append("key \(key)") }
        parts.append("service \(evidence.service ?? "unknown")")
        if !evidence.countries.isEmpty { parts.append("countries \(evidence.countries.joined(separator: ", "))") }
        if let type = evidence.numberType { parts.append("number type \(type)") }
        if let max = evidence.maxPrice { parts.append("max \(max)") }
        if let state = evidence.state { parts.append("state \(state)") }
        return parts.joined(separator: " · ")
    }

    private var moneyLine: String {
        let m = evidence.money
        return "held \(money(m.heldMinor)) · debited \(money(m.debitedMinor)) · released \(money(m.releasedMinor)) · "
            + "outstanding \(money(m.outstandingMinor)) → \(m.refund.rawValue)"
    }

    private var triggerTable: TextTable {
        var table = TextTable(header: ["WHEN", "RULE", "QUEUE", "FROM", "WHAT"])
        for trigger in escalation.triggers {
            table.append([.init(RelativeTime.describe(trigger.at, now: now)), .init(trigger.rule), .init(trigger.queue.rawValue),
                          .init(trigger.id), .init(trigger.detail)])
        }
        return table
    }

    private var attemptTable: TextTable {
        var table = TextTable(header: ["#", "ROUTE", "NUMBER", "SUPPLIER ID", "PRICE", "STARTED", "CODE", "OUTCOME", "LAST REPLY"])
        for attempt in evidence.attempts {
            let route = attempt.spec.route
            table.append([
                .init("\(attempt.spec.number)"), .init("\(route.supplier)/\(route.service)/\(route.country)/\(route.numberType)"),
                .init(attempt.number?.phoneNumber ?? "-"), .init(attempt.number?.supplierActivationID ?? "-"),
                .init(attempt.number?.priceMinor.map(money) ?? "-"), .init(offset(attempt.startedAt)),
                .init(attempt.codeReceivedAt.map { "\(attempt.maskedCode ?? "yes") at \(offset($0))" } ?? "-"),
                .init(attempt.failure?.code ?? (attempt.codeReceivedAt != nil ? "code" : attempt.endedAt == nil ? "open" : "-")),
                .init(attempt.lastSupplierReply ?? "-"),
            ])
        }
        return table
    }

    private var cancellationTable: TextTable {
        var table = TextTable(header: ["#", "SUPPLIER", "ACTIVATION", "CANCELLABLE", "REQUESTED", "CANCELLED", "DENIED"])
        for window in evidence.cancellations {
            table.append([
                .init("\(window.attempt)"), .init(window.supplier), .init(window.supplierActivationID),
                .init(offset(window.cancellableAt)), .init(window.cancelRequestedAt.map(offset) ?? "-"),
                .init(window.cancelledAt.map(offset) ?? "-"),
                .init(window.deniedAt.isEmpty ? "-" : window.deniedAt.map(offset).joined(separator: ", ")),
            ])
        }
        return table
    }

    private var errorTable: TextTable {
        var table = TextTable(header: ["AT", "#", "SUPPLIER", "STEP", "REASON", "REPLY"])
        for error in evidence.errors {
            table.append([
                .init(offset(error.at)), .init("\(error.attempt)"), .init(error.supplier ?? "-"), .init(error.step),
                .init(error.reasonCode ?? "-", style: .red), .init(error.reply ?? error.detail),
            ])
        }
        return table
    }

    private var decisionTable: TextTable {
        var table = TextTable(header: ["AT", "#", "DECISION", "REASON", "DETAIL"])
        for entry in evidence.decisions {
            table.append([.init(offset(entry.at)), .init("\(entry.attempt)"), .init(entry.kind.rawValue),
                          .init(entry.reasonCode ?? "-"), .init(entry.detail)])
        }
        return table
    }

    private var timelineTable: TextTable {
        var table = TextTable(header: ["AT", "#", "STATE", "WHAT", "DETAIL"])
        var previous: ActivationState?
        for entry in evidence.timeline {
            let changed = entry.state != previous
            previous = entry.state
            var detail = entry.detail
            if let reply = entry.supplierReply { detail += " ← \(reply)" }
            table.append([
                .init(offset(entry.at), style: .dim), .init("\(entry.attempt)"),
                .init(changed ? entry.state.rawValue : "", style: changed ? .blue : nil), .init(entry.kind.rawValue), .init(detail),
            ])
        }
        return table
    }

    private func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty, line.count + word.count + 1 > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}
