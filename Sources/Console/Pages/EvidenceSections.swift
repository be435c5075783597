import Activation
import Escalation
import Foundation

/// The parts of an ``Evidence`` as HTML sections, shared by the activation and escalation pages (the terminal's
/// `EvidenceText` renders the same parts as text). Supplier replies go through ``Masking`` first; times are
/// offsets from the first entry, with the absolute time on hover.
enum EvidenceSections {
    static func attempts(_ evidence: Evidence, origin: Date) -> HTML {
        let rows = evidence.attempts.map { attempt -> HTML in
            let route = attempt.spec.route
            let price = attempt.number?.priceMinor.map { Format.money($0, evidence.money.currency) } ?? "–"
            let code = attempt.codeReceivedAt.map { "\(attempt.maskedCode.map(Masking.code) ?? "yes") at \(Format.offset($0, from: origin))" } ?? "–"
            let outcome = attempt.failure?.code ?? (attempt.codeReceivedAt != nil ? "code" : attempt.endedAt == nil ? "open" : "–")
            return """
                <tr><td class="num">\(attempt.spec.number)</td><td>\(route.supplier)/\(route.service)/\(route.country)/\(route.numberType)</td>\
                <td>\(attempt.number?.phoneNumber ?? "–")</td><td>\(attempt.number?.supplierActivationID ?? "–")</td><td class="num">\(price)</td>\
                \(at(attempt.startedAt, origin))<td>\(code)</td><td>\(outcome)</td>\
                <td><code>\(attempt.lastSupplierReply.map(Masking.supplierText) ?? "–")</code></td></tr>
                """
        }
        return section("attempts", "Attempts", rows, header: ["#", "route", "number", "supplier ID", "price", "started", "code", "outcome", "last reply"])
    }

    static func cancellations(_ evidence: Evidence, origin: Date) -> HTML {
        let rows = evidence.cancellations.map { window -> HTML in
            let denied = window.deniedAt.isEmpty ? "–" : window.deniedAt.map { Format.offset($0, from: origin) }.joined(separator: ", ")
            return """
                <tr><td class="num">\(window.attempt)</td><td>\(window.supplier)</td><td>\(window.supplierActivationID)</td>\
                \(at(window.cancellableAt, origin))\(at(window.cancelRequestedAt, origin))\(at(window.cancelledAt, origin))<td>\(denied)</td></tr>
                """
        }
        return section("cancellations", "Cancellation windows", rows,
                       header: ["#", "supplier", "activation", "cancellable", "requested", "cancelled", "denied"])
    }

    static func decisions(_ evidence: Evidence, origin: Date) -> HTML {
        let rows = evidence.decisions.map { entry -> HTML in
            "<tr>\(at(entry.at, origin))<td class=\"num\">\(entry.attempt)</td><td>\(entry.kind.rawValue)</td><td>\(entry.reasonCode ?? "–")</td><td>\(entry.detail)</td></tr>"
        }
        return section("decisions", "Retry decisions", rows, header: ["at", "#", "decision", "reason", "detail"])
    }

    static func errors(_ evidence: Evidence, origin: Date) -> HTML {
        let rows = evidence.errors.map { error -> HTML in
            """
            <tr>\(at(error.at, origin))<td class="num">\(error.attempt)</td><td>\(error.supplier ?? "–")</td><td>\(error.step)</td>\
            <td class="bad">\(error.reasonCode ?? "–")</td><td>\(error.detail)</td><td><code>\(error.reply.map(Masking.supplierText) ?? "–")</code></td></tr>
            """
        }
        return section("errors", "Supplier and downstream errors (replies masked)", rows,
                       header: ["at", "#", "supplier", "step", "reason", "detail", "reply"])
    }

    static func timeline(_ evidence: Evidence, origin: Date) -> HTML {
        var previous: ActivationState?
        let rows = evidence.timeline.map { entry -> HTML in
            let changed = entry.state != previous
            previous = entry.state
            let amount = entry.amount.map(\.description) ?? ""
            return """
                <tr class="\(changed ? "changed" : "")">\(at(entry.at, origin))<td class="num">\(entry.attempt)</td>\
                <td>\(changed ? entry.state.rawValue : "")</td><td>\(entry.kind.rawValue)</td><td>\(Masking.supplierText(entry.detail))</td>\
                <td class="num">\(amount)</td><td><code>\(entry.supplierReply.map(Masking.supplierText) ?? "")</code></td></tr>
                """
        }
        let omitted: HTML = evidence.omittedTimelineEntries > 0
            ? "<p class=\"muted\">\(evidence.omittedTimelineEntries) middle entries were left out of the event's summary</p>" : ""
        return section("timeline", "Timeline (from \(Format.time(origin)))", rows,
                       header: ["at", "#", "state", "what", "detail", "amount", "supplier reply"]) + omitted
    }

    private static func at(_ date: Date?, _ origin: Date) -> HTML {
        guard let date else { return "<td>–</td>" }
        return "<td title=\"\(Format.time(date))\">\(Format.offset(date, from: origin))</td>"
    }

    private static func section(_ id: String, _ title: String, _ rows: [HTML], header: [String]) -> HTML {
        guard !rows.isEmpty else { return "<section id=\"\(id)\"><h2>\(title)</h2><p class=\"muted\">none</p></section>" }
        let head = HTML.join(header.map { "<th>\($0)</th>" as HTML })
        return """
            <section id="\(id)"><h2>\(title)</h2><div class="scroll"><table><thead><tr>\(head)</tr></thead>\
            <tbody>\(rows)</tbody></table></div></section>
            """
    }
}
