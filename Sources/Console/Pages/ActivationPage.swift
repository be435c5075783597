import Activation
import Escalation
import Foundation

/// One activation: state, money, every attempt, the cancellation windows, retry decisions, supplier errors
/// (replies masked), the full timeline and the events it emitted.
enum ActivationPage {
    static func link(_ requestID: String) -> String {
        "/console/activation?id=" + (requestID.addingPercentEncoding(withAllowedCharacters: .urlQueryValueAllowed) ?? requestID)
    }

    static func page(_ record: ActivationRecord, viewer: Viewer, now: Date = Date()) -> HTML {
        let evidence = record.evidence
        let origin = evidence.timeline.first?.at ?? evidence.submittedAt ?? evidence.lastChangeAt
        let escalation: HTML = record.escalation.map { record in
            "<a href=\"\(EscalationPage.link(record.requestID))\">\(record.queue.rawValue) · \(record.status.rawValue)</a>"
        } ?? "none"
        return Layout.page(title: "Activation \(evidence.requestID)", section: .activations, viewer: viewer, """
            <dl class="facts">
            <dt>state</dt><dd class="state-\(evidence.state ?? "unknown")" id="state">\(evidence.state ?? "unknown")\
            \(evidence.reasonCode.map { " (\($0))" } ?? "")</dd>
            <dt>account</dt><dd>\(evidence.accountID ?? "unknown")\(evidence.accountEmail.map { " <\($0)>" } ?? "")</dd>
            <dt>idempotency key</dt><dd>\(evidence.idempotencyKey ?? "–")</dd>
            <dt>service</dt><dd>\(evidence.service ?? "–") in \(evidence.countries.joined(separator: ", ")) · \(evidence.numberType ?? "any")\
             · max \(evidence.maxPrice?.description ?? "–")</dd>
            <dt>taken in</dt><dd>\(record.createdAt.map(Format.time) ?? "–")</dd>
            <dt>last change</dt><dd>\(Format.time(evidence.lastChangeAt)) (\(Format.age(now.timeIntervalSince(evidence.lastChangeAt))) ago)</dd>
            <dt>escalation</dt><dd id="escalation">\(escalation)</dd>
            </dl>
            <p class="summary">\(evidence.summary)</p>
            \(money(evidence))
            \(EvidenceSections.attempts(evidence, origin: origin))
            \(EvidenceSections.cancellations(evidence, origin: origin))
            \(EvidenceSections.decisions(evidence, origin: origin))
            \(EvidenceSections.errors(evidence, origin: origin))
            \(EvidenceSections.timeline(evidence, origin: origin))
            \(events(record))
            """)
    }

    private static func money(_ evidence: Evidence) -> HTML {
        let money = evidence.money
        return """
            <section id="money"><h2>Money</h2><dl class="facts">
            <dt>held</dt><dd>\(Format.money(money.heldMinor, money.currency))</dd>
            <dt>debited</dt><dd>\(Format.money(money.debitedMinor, money.currency))</dd>
            <dt>released</dt><dd>\(Format.money(money.releasedMinor, money.currency))</dd>
            <dt>outstanding</dt><dd>\(Format.money(money.outstandingMinor, money.currency)) → <strong>\(money.refund.rawValue)</strong></dd>
            </dl></section>
            """
    }

    private static func events(_ record: ActivationRecord) -> HTML {
        let id = record.evidence.requestID
        let last: HTML = record.machine?.lastEvent.map { event in
            "<p>last: <code>\(event.eventID)</code> \(event.kind.rawValue) at \(Format.time(event.occurredAt))\(event.reasonCode.map { " (\($0))" } ?? "")</p>"
        } ?? ""
        let pending: HTML = record.pendingEvents.isEmpty
            ? "<p class=\"muted\">every event acknowledged by the broker</p>"
            : "<p class=\"warn\">waiting for the broker's acknowledgement (the outbox relay sends them again): "
                + HTML.join(record.pendingEvents.map { "<code>\($0.eventID)</code> \($0.kind)" as HTML }, separator: ", ") + "</p>"
        return """
            <section id="events"><h2>Events published</h2>
            <p>\(record.eventsEmitted) emitted\(record.eventsEmitted > 0 ? ", IDs \(id)#1 … \(id)#\(record.eventsEmitted)" : "")</p>
            \(last)\(pending)</section>
            """
    }
}

extension HTML {
    static func + (lhs: HTML, rhs: HTML) -> HTML { HTML.join([lhs, rhs]) }
}

extension CharacterSet {
    /// What may stand unescaped in a query value: unreserved characters only.
    static let urlQueryValueAllowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
