import Escalation
import Foundation
import Pool

/// The dead letters: how many by reason, the ones a filter selects (newest first), and the way to replay them.
///
/// Counts cover every reason under the other filters, so choosing a reason does not hide how many the others
/// have. The list shows what the message claims (request, account) for search; the record's page shows its bytes.
enum DeadLettersPage {
    static let path = "/console/dead-letters"

    static func link(_ query: String) -> String { query.isEmpty ? path : path + "?" + query }

    static func page(
        query: DeadLetterQuery, counts: Result<[String: Int], Overview.Failure>, listed: Result<[DeadLetterSummary], Overview.Failure>,
        viewer: Viewer, replayAvailable: Bool, notice: Layout.Notice? = nil, now: Date = Date()
    ) -> HTML {
        Layout.page(title: "Dead letters", section: .deadLetters, viewer: viewer, notice: notice, """
            \(summary(counts, query: query))
            \(form(query.fields))
            \(table(listed, now: now))
            \(replaySet(query, listed: listed, viewer: viewer, replayAvailable: replayAvailable))
            """)
    }

    private static func summary(_ counts: Result<[String: Int], Overview.Failure>, query: DeadLetterQuery) -> HTML {
        guard case .success(let counts) = counts else {
            if case .failure(let failure) = counts { return "<p class=\"error\">counts not available: \(failure.message)</p>" }
            return ""
        }
        guard !counts.isEmpty else { return "<p class=\"muted\" id=\"dlq-counts\">no dead letters match</p>" }
        let others = query.encoded(dropping: ["reason"])
        let rows = counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { reason, count -> HTML in
            let link = link([others, "reason=" + (reason.addingPercentEncoding(withAllowedCharacters: .urlQueryValueAllowed) ?? "")]
                .filter { !$0.isEmpty }.joined(separator: "&"))
            return "<tr><th><a href=\"\(link)\">\(reason)</a></th><td class=\"num\">\(count)</td></tr>"
        }
        return """
            <section id="dlq-counts"><div class="scroll"><table><thead><tr><th>reason</th><th class="num">dead letters</th></tr></thead>\
            <tbody>\(rows)</tbody></table></div><p class="muted">\(counts.values.reduce(0, +)) in all</p></section>
            """
    }

    private static func form(_ fields: FormFields) -> HTML {
        let replayed = HTML.join([("", "any"), ("yes", "yes"), ("no", "never")].map { value, text -> HTML in
            value == (fields["replayed"] ?? "") ? "<option value=\"\(value)\" selected>\(text)</option>" : "<option value=\"\(value)\">\(text)</option>"
        })
        return """
            <form class="filters" method="get" action="\(path)">
            <label>reason<input type="search" name="reason" value="\(fields["reason"] ?? "")" placeholder="malformed_json"></label>\
            <label>since (30m, 2h, 7d or a time)<input type="search" name="since" value="\(fields["since"] ?? "")"></label>\
            <label>account<input type="search" name="account" value="\(fields["account"] ?? "")"></label>\
            <label>request ID<input type="search" name="request" value="\(fields["request"] ?? "")"></label>\
            <label>replayed<select name="replayed">\(replayed)</select></label>
            <button>Filter</button> <a href="\(path)">clear</a>
            </form>
            """
    }

    private static func table(_ listed: Result<[DeadLetterSummary], Overview.Failure>, now: Date) -> HTML {
        Layout.results(
            listed, nothing: "no dead letter matches",
            header: """
                <th>ID</th><th>reason</th><th>request</th><th>account</th>\
                <th>source</th><th class="num">bytes</th><th class="num">replays</th><th>dead-lettered</th>
                """
        ) { letter in
            let replays: HTML = letter.replays == 0
                ? "<td class=\"num muted\">–</td>"
                : "<td class=\"num\">\(letter.replays) · \(Format.age(now.timeIntervalSince(letter.lastReplayedAt ?? now))) ago</td>"
            return """
                <tr><td><a href="\(DeadLetterPage.link(letter.id))">\(letter.id)</a></td><td>\(letter.reasonCode)</td>\
                <td>\(DeadLetterPage.safe(letter.identity.requestID ?? "–"))</td><td>\(DeadLetterPage.safe(letter.identity.accountID ?? "–"))</td>\
                <td><code>\(DeadLetterPage.describe(letter.source))</code></td><td class="num">\(letter.valueBytes)</td>\(replays)\
                <td title="\(Format.time(letter.deadLetteredAt))">\(Format.age(now.timeIntervalSince(letter.deadLetteredAt))) ago</td></tr>
                """
        }
    }

    /// The way to a filtered replay: a link to its confirm step, which says how many it takes.
    private static func replaySet(
        _ query: DeadLetterQuery, listed: Result<[DeadLetterSummary], Overview.Failure>, viewer: Viewer, replayAvailable: Bool
    ) -> HTML {
        guard case .success(let listed) = listed, !listed.isEmpty else { return "" }
        if let obstacle = DeadLetterReplayNotes.obstacle(viewer: viewer, replayAvailable: replayAvailable, back: link(query.encoded())) {
            return "<section id=\"replay-set\"><h2>Replay</h2>\(obstacle)</section>"
        }
        return """
            <section id="replay-set"><h2>Replay</h2><p><a class="button" id="replay-filtered" \
            href="\(DeadLetterReplaySetPage.link(query.encoded()))">Replay these…</a> <span class="muted">asks to confirm how many first; \
            those replayed before are left out unless the filter says replayed: yes.</span></p></section>
            """
    }
}
