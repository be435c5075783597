import Activation
import Foundation

/// The parts of an ``Evidence`` as terminal text: the request line, the money line and aligned tables of
/// attempts, cancellation windows, errors, decisions and the timeline. Times are offsets from the first
/// entry on record (`+12s`), so a timeline reads at a glance. Used by `otppool escalations show` and
/// `otppool status`.
public struct EvidenceText: Sendable {
    public var evidence: Evidence
    /// The first moment on record: offsets count from here.
    public var origin: Date

    public init(_ evidence: Evidence, origin: Date? = nil) {
        self.evidence = evidence
        self.origin = origin ?? evidence.timeline.first?.at ?? evidence.submittedAt ?? evidence.lastChangeAt
    }

    func offset(_ date: Date) -> String { "+" + RelativeTime.span(max(0, date.timeIntervalSince(origin))) }
    func money(_ minor: Int64) -> String { Money(amountMinor: minor, currency: evidence.money.currency).description }

    /// A titled section: the table indented, `(none)` without one.
    public func section(_ out: inout [String], _ title: String, colour: Bool, table: TextTable?, note: String? = nil) {
        out.append("")
        out.append(TextTable.Style.bold.apply(title, colour: colour))
        guard let table else { return out.append("  (none)") }
        out.append(contentsOf: table.render(colour: colour).split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 })
        if let note { out.append("  (\(note))") }
    }

    public var outcomeLine: String {
        evidence.reasonCode.map { "\(evidence.outcome) (\($0))" } ?? evidence.outcome
    }

    public var requestLine: String {
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

    public var moneyLine: String {
        let m = evidence.money
        return "held \(money(m.heldMinor)) · debited \(money(m.debitedMinor)) · released \(money(m.releasedMinor)) · "
            + "outstanding \(money(m.outstandingMinor)) → \(m.refund.rawValue)"
    }

    public var attemptTable: TextTable {
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

    public var cancellationTable: TextTable {
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

    public var errorTable: TextTable {
        var table = TextTable(header: ["AT", "#", "SUPPLIER", "STEP", "REASON", "REPLY"])
        for error in evidence.errors {
            table.append([
                .init(offset(error.at)), .init("\(error.attempt)"), .init(error.supplier ?? "-"), .init(error.step),
                .init(error.reasonCode ?? "-", style: .red), .init(error.reply ?? error.detail),
            ])
        }
        return table
    }

    public var decisionTable: TextTable {
        var table = TextTable(header: ["AT", "#", "DECISION", "REASON", "DETAIL"])
        for entry in evidence.decisions {
            table.append([.init(offset(entry.at)), .init("\(entry.attempt)"), .init(entry.kind.rawValue),
                          .init(entry.reasonCode ?? "-"), .init(entry.detail)])
        }
        return table
    }

    /// The timeline, or its last `last` entries.
    public func timelineTable(last: Int? = nil) -> TextTable {
        var table = TextTable(header: ["AT", "#", "STATE", "WHAT", "DETAIL"])
        var previous: ActivationState?
        let entries = last.map { evidence.timeline.suffix($0) } ?? evidence.timeline[...]
        for entry in entries {
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

    /// `text` in lines of at most `width` characters, broken at spaces.
    public func wrap(_ text: String, width: Int) -> [String] {
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
