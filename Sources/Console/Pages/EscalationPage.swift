import Escalation
import Foundation

/// One escalation: why it escalated, the evidence, its resolution, and the take and resolve forms.
enum EscalationPage {
    static func link(_ requestID: String) -> String {
        "/console/escalation?id=" + (requestID.addingPercentEncoding(withAllowedCharacters: .urlQueryValueAllowed) ?? requestID)
    }

    static func exportLink(_ requestID: String) -> String {
        "/console/escalation/export.md?id=" + (requestID.addingPercentEncoding(withAllowedCharacters: .urlQueryValueAllowed) ?? requestID)
    }

    static func page(_ record: Escalation, viewer: Viewer, notice: Layout.Notice? = nil, now: Date = Date()) -> HTML {
        let evidence = record.evidence
        let origin = evidence.timeline.first?.at ?? evidence.submittedAt ?? record.createdAt
        let triggers = record.triggers.map { trigger -> HTML in
            """
            <tr><td title="\(Format.time(trigger.at))">\(Format.age(now.timeIntervalSince(trigger.at))) ago</td><td>\(trigger.rule)</td>\
            <td>\(trigger.queue.rawValue)</td><td>\(trigger.id)</td><td>\(Masking.supplierText(trigger.detail))</td></tr>
            """
        }
        let resolution: HTML = record.resolution.map { resolution in
            """
            <section id="resolution"><h2>Resolution</h2><p>\(Format.time(resolution.at))\(resolution.by.map { " by \($0)" } ?? ""): \
            <q>\(resolution.note)</q></p></section>
            """
        } ?? ""
        return Layout.page(title: "Escalation \(record.requestID)", section: .escalations, viewer: viewer, notice: notice, """
            <dl class="facts">
            <dt>queue</dt><dd>\(record.queue.rawValue)</dd>
            <dt>status</dt><dd class="status-\(record.status.rawValue)" id="status">\(record.status.rawValue)</dd>
            <dt>outcome</dt><dd>\(evidence.outcome)\(evidence.reasonCode.map { " (\($0))" } ?? "")</dd>
            <dt>activation</dt><dd><a href="\(ActivationPage.link(record.requestID))">\(record.requestID)</a></dd>
            <dt>account</dt><dd>\(evidence.accountID ?? "unknown")\(evidence.accountEmail.map { " <\($0)>" } ?? "")</dd>
            <dt>escalated</dt><dd>\(Format.time(record.createdAt)) · updated \(Format.time(record.updatedAt))</dd>
            </dl>
            <p class="summary">\(evidence.summary)</p>
            \(actions(record, viewer: viewer))
            \(resolution)
            <section id="triggers"><h2>Why it escalated</h2><div class="scroll"><table><thead><tr><th>when</th><th>rule</th>\
            <th>queue</th><th>from</th><th>what</th></tr></thead><tbody>\(triggers)</tbody></table></div></section>
            <section id="money"><h2>Money</h2><p>held \(Format.money(evidence.money.heldMinor, evidence.money.currency)) · debited \
            \(Format.money(evidence.money.debitedMinor, evidence.money.currency)) · released \
            \(Format.money(evidence.money.releasedMinor, evidence.money.currency)) · outstanding \
            \(Format.money(evidence.money.outstandingMinor, evidence.money.currency)) → <strong>\(evidence.money.refund.rawValue)</strong></p></section>
            \(EvidenceSections.attempts(evidence, origin: origin))
            \(EvidenceSections.cancellations(evidence, origin: origin))
            \(EvidenceSections.decisions(evidence, origin: origin))
            \(EvidenceSections.errors(evidence, origin: origin))
            \(EvidenceSections.timeline(evidence, origin: origin))
            """)
    }

    private static func actions(_ record: Escalation, viewer: Viewer) -> HTML {
        let export: HTML = "<a class=\"button\" id=\"export\" href=\"\(exportLink(record.requestID))\">Export Markdown</a>"
        guard viewer.actionsConfigured else {
            return "<section id=\"actions\" class=\"actions\">\(export)<p class=\"muted\">\(ActionGuard.Refusal.actionsOff.message)</p></section>"
        }
        guard viewer.signedIn else {
            return "<section id=\"actions\" class=\"actions\">\(export)<p><a href=\"/console/login?next=\(link(record.requestID).addingPercentEncoding(withAllowedCharacters: .urlQueryValueAllowed) ?? "")\">Sign in</a> to take or resolve it.</p></section>"
        }
        let id = record.requestID
        let take: HTML = record.status == .open
            ? """
              <form method="post" action="/console/escalation/take">\(viewer.csrfField)<input type="hidden" name="id" value="\(id)">\
              <button id="take">Take (mark in progress)</button></form>
              """
            : ""
        let resolve: HTML = record.status == .resolved
            ? ""
            : """
              <form method="post" action="/console/escalation/resolve" class="resolve">\(viewer.csrfField)\
              <input type="hidden" name="id" value="\(id)">\
              <label>what was done<textarea name="note" required rows="3" placeholder="refunded by hand, supplier pool changed, client told …"></textarea></label>\
              <label>by<input name="by" placeholder="your name"></label>\
              <button id="resolve">Resolve</button></form>
              """
        return "<section id=\"actions\" class=\"actions\">\(export)\(take)\(resolve)</section>"
    }
}
