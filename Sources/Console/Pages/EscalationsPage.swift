import Escalation
import Foundation
import Pool

/// The escalation queues: counts and age per queue, and the records a filter selects (the rules of `otppool
/// escalations list`).
enum EscalationsPage {
    /// The filter a query string asks for, or why it cannot be used.
    static func filter(_ fields: FormFields, now: Date) -> Result<EscalationFilter, Overview.Failure> {
        var filter = EscalationFilter(accountID: fields["account"], limit: 100)
        if let queue = fields["queue"] {
            guard let value = EscalationQueue(rawValue: queue) else {
                return .failure(.init(message: "queue \"\(queue)\" is unknown; use one of "
                    + EscalationQueue.allCases.map(\.rawValue).joined(separator: ", ")))
            }
            filter.queue = value
        }
        if let status = fields["status"] {
            guard let value = EscalationStatus(rawValue: status) else {
                return .failure(.init(message: "status \"\(status)\" is unknown; use one of "
                    + EscalationStatus.allCases.map(\.rawValue).joined(separator: ", ")))
            }
            filter.status = value
        }
        if let since = fields["since"] {
            guard let date = RelativeTime.since(since, now: now) else {
                return .failure(.init(message: "since \"\(since)\" is neither a time like 2026-11-29T10:00:00Z nor an age like 30m, 2h or 7d"))
            }
            filter.since = date
        }
        return .success(filter)
    }

    struct Queues: Sendable {
        var counts: [EscalationQueue: [EscalationStatus: Int]]
        /// The age of each queue's oldest unresolved escalation.
        var oldest: [EscalationQueue: TimeInterval]
    }

    static func page(
        fields: FormFields, queues: Result<Queues, Overview.Failure>, listings: Result<[EscalationListing], Overview.Failure>,
        viewer: Viewer, now: Date = Date()
    ) -> HTML {
        Layout.page(title: "Escalations", section: .escalations, viewer: viewer, """
            \(summary(queues, now: now))
            \(form(fields))
            \(table(listings, now: now))
            """)
    }

    private static func summary(_ queues: Result<Queues, Overview.Failure>, now: Date) -> HTML {
        guard case .success(let queues) = queues else {
            if case .failure(let failure) = queues { return "<p class=\"error\">queues not available: \(failure.message)</p>" }
            return ""
        }
        let rows = EscalationQueue.allCases.map { queue -> HTML in
            let counts = queues.counts[queue] ?? [:]
            let age = queues.oldest[queue].map(Format.age) ?? "–"
            return """
                <tr><th><a href="/console/escalations?queue=\(queue.rawValue)">\(queue.rawValue)</a></th>\
                <td class="num">\(counts[.open] ?? 0)</td><td class="num">\(counts[.inProgress] ?? 0)</td>\
                <td class="num">\(counts[.resolved] ?? 0)</td><td class="num">\(age)</td></tr>
                """
        }
        return """
            <section id="queues"><div class="scroll"><table><thead><tr><th>queue</th><th class="num">open</th>\
            <th class="num">in progress</th><th class="num">resolved</th><th class="num">oldest unresolved</th></tr></thead>\
            <tbody>\(rows)</tbody></table></div></section>
            """
    }

    private static func form(_ fields: FormFields) -> HTML {
        func select(_ name: String, _ label: String, _ values: [String]) -> HTML {
            let options = HTML.join(([""] + values).map { value -> HTML in
                let text = value.isEmpty ? "any" : value
                return value == (fields[name] ?? "") ? "<option value=\"\(value)\" selected>\(text)</option>" : "<option value=\"\(value)\">\(text)</option>"
            })
            return "<label>\(label)<select name=\"\(name)\">\(options)</select></label>"
        }
        return """
            <form class="filters" method="get" action="/console/escalations">
            \(select("queue", "queue", EscalationQueue.allCases.map(\.rawValue)))\(select("status", "status", EscalationStatus.allCases.map(\.rawValue)))\
            <label>account<input type="search" name="account" value="\(fields["account"] ?? "")"></label>\
            <label>since (30m, 2h, 7d or a time)<input type="search" name="since" value="\(fields["since"] ?? "")"></label>
            <button>Filter</button> <a href="/console/escalations">clear</a>
            </form>
            """
    }

    private static func table(_ listings: Result<[EscalationListing], Overview.Failure>, now: Date) -> HTML {
        Layout.results(
            listings, nothing: "no escalation matches",
            header: """
                <th>request</th><th>queue</th><th>status</th><th>outcome</th>\
                <th>service</th><th>account</th><th>rules</th><th>escalated</th>
                """
        ) { listing in
            """
            <tr class="status-\(listing.status.rawValue)"><td><a href="\(EscalationPage.link(listing.requestID))">\(listing.requestID)</a></td>\
            <td>\(listing.queue.rawValue)</td><td class="status">\(listing.status.rawValue)</td><td>\(listing.outcome)</td>\
            <td>\(listing.service ?? "–")</td><td>\(listing.accountID ?? "–")</td><td>\(listing.rules.joined(separator: ", "))</td>\
            <td title="\(Format.time(listing.createdAt))">\(Format.age(now.timeIntervalSince(listing.createdAt))) ago</td></tr>
            """
        }
    }
}
