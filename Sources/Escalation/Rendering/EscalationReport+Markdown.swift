import Activation
import Foundation

extension EscalationReport {
    /// The record as Markdown: what a support engineer attaches to a ticket or sends to a supplier.
    /// Times are absolute (UTC, RFC 3339) so the package reads the same wherever it is opened.
    public func markdown() -> String {
        let record = escalation
        let evidence = record.evidence
        var out: [String] = []
        out.append("# Escalation \(record.requestID)")
        out.append("")
        out.append("| | |")
        out.append("|---|---|")
        let rows: [(String, String?)] = [
            ("Queue", record.queue.rawValue), ("Status", record.status.rawValue),
            ("Outcome", evidence.reasonCode.map { "\(evidence.outcome) (\($0))" } ?? evidence.outcome),
            ("Request ID", record.requestID), ("Idempotency key", evidence.idempotencyKey),
            ("Account", evidence.accountID), ("Account email", evidence.accountEmail), ("Service", evidence.service),
            ("Countries", evidence.countries.isEmpty ? nil : evidence.countries.joined(separator: ", ")),
            ("Number type", evidence.numberType), ("Max price", evidence.maxPrice?.description),
            ("Submitted", evidence.submittedAt.map(RFC3339.format)), ("Last change", RFC3339.format(evidence.lastChangeAt)),
            ("State", evidence.state), ("Escalated", RFC3339.format(record.createdAt)),
        ]
        for (name, value) in rows { out.append("| \(name) | \(cell(value ?? "—")) |") }
        out.append("")
        out.append("## Summary")
        out.append("")
        out.append(evidence.summary)
        table(&out, "Why it escalated", ["When", "Rule", "Queue", "From", "What"], record.triggers.map {
            [RFC3339.format($0.at), $0.rule, $0.queue.rawValue, $0.id, $0.detail]
        })
        table(&out, "Attempts", ["#", "Route", "Number", "Supplier activation", "Price", "Started", "Code at", "Ended", "Outcome", "Last reply"],
              evidence.attempts.map { attempt in
            let route = attempt.spec.route
            return [
                "\(attempt.spec.number)", "\(route.supplier)/\(route.service)/\(route.country)/\(route.numberType)",
                attempt.number?.phoneNumber ?? "—", attempt.number?.supplierActivationID ?? "—",
                attempt.number?.priceMinor.map { Money(amountMinor: $0, currency: evidence.money.currency).description } ?? "—",
                RFC3339.format(attempt.startedAt), attempt.codeReceivedAt.map(RFC3339.format) ?? "—",
                attempt.endedAt.map(RFC3339.format) ?? "—", attempt.failure?.description ?? (attempt.codeReceivedAt != nil ? "code received" : "—"),
                attempt.lastSupplierReply.map { "`\($0)`" } ?? "—",
            ]
        })
        table(&out, "Cancellation windows", ["#", "Supplier", "Activation", "Cancellable at", "Cancel requested", "Cancelled", "Denied at"],
              evidence.cancellations.map {
            [
                "\($0.attempt)", $0.supplier, $0.supplierActivationID, RFC3339.format($0.cancellableAt),
                $0.cancelRequestedAt.map(RFC3339.format) ?? "—", $0.cancelledAt.map(RFC3339.format) ?? "—",
                $0.deniedAt.isEmpty ? "—" : $0.deniedAt.map(RFC3339.format).joined(separator: ", "),
            ]
        })
        let money = evidence.money
        func amount(_ minor: Int64) -> String { Money(amountMinor: minor, currency: money.currency).description }
        out.append("")
        out.append("## Money")
        out.append("")
        out.append("Held \(amount(money.heldMinor)), debited \(amount(money.debitedMinor)), released \(amount(money.releasedMinor)), "
                   + "outstanding \(amount(money.outstandingMinor)): **\(money.refund.rawValue)**.")
        table(&out, "Supplier and downstream errors (verbatim)", ["At", "#", "Supplier", "Step", "Reason", "Detail", "Reply"],
              evidence.errors.map {
            [RFC3339.format($0.at), "\($0.attempt)", $0.supplier ?? "—", $0.step, $0.reasonCode ?? "—", $0.detail,
             $0.reply.map { "`\($0)`" } ?? "—"]
        })
        table(&out, "Retry decisions", ["At", "#", "Decision", "Reason", "Detail"], evidence.decisions.map {
            [RFC3339.format($0.at), "\($0.attempt)", $0.kind.rawValue, $0.reasonCode ?? "—", $0.detail]
        })
        table(&out, "Timeline", ["At", "#", "State", "What", "Detail", "Supplier reply"], evidence.timeline.map {
            [RFC3339.format($0.at), "\($0.attempt)", $0.state.rawValue, $0.kind.rawValue, $0.detail,
             $0.supplierReply.map { "`\($0)`" } ?? ""]
        })
        if evidence.omittedTimelineEntries > 0 {
            out.append("")
            out.append("_\(evidence.omittedTimelineEntries) middle timeline entries were left out of the event's summary._")
        }
        if let resolution = record.resolution {
            out.append("")
            out.append("## Resolution")
            out.append("")
            out.append("\(RFC3339.format(resolution.at))\(resolution.by.map { " by \($0)" } ?? ""): \(resolution.note)")
        }
        return out.joined(separator: "\n") + "\n"
    }

    private func table(_ out: inout [String], _ title: String, _ header: [String], _ rows: [[String]]) {
        out.append("")
        out.append("## \(title)")
        out.append("")
        guard !rows.isEmpty else { return out.append("None.") }
        out.append("| " + header.joined(separator: " | ") + " |")
        out.append("|" + String(repeating: "---|", count: header.count))
        for row in rows { out.append("| " + row.map(cell).joined(separator: " | ") + " |") }
    }

    /// Escapes what would break a table cell.
    private func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
