import Foundation
import Pool

/// The confirm step of a filtered replay: how many dead letters it takes, which, and the form that replays
/// exactly those.
///
/// The form carries the IDs shown rather than the filter, so what is replayed is what the operator confirmed, even
/// if dead letters arrive between the two steps (a replay that fails again is itself a new dead letter).
enum DeadLetterReplaySetPage {
    static let path = "/console/dead-letters/replay"
    /// The most a filtered replay takes, as the list shows at most this many.
    static let limit = 100

    static func link(_ query: String) -> String { query.isEmpty ? path : path + "?" + query }

    static func page(_ candidates: [DeadLetterSummary], query: DeadLetterQuery, viewer: Viewer, now: Date = Date()) -> HTML {
        let back = DeadLettersPage.link(query.encoded())
        guard !candidates.isEmpty else {
            return Layout.page(title: "Replay dead letters", section: .deadLetters, viewer: viewer, """
                <p class="notice" id="replay-count">No dead letter to replay: none matches these filters from this deployment's \
                topics that was not replayed before (choose replayed: yes to replay those again).</p><p><a href="\(back)">back to the list</a></p>
                """)
        }
        let rows = candidates.map { letter -> HTML in
            """
            <tr><td><a href="\(DeadLetterPage.link(letter.id))">\(letter.id)</a></td><td>\(letter.reasonCode)</td>\
            <td>\(DeadLetterPage.safe(letter.identity.requestID ?? "–"))</td><td><code>\(letter.source.topic)</code></td>\
            <td class="num">\(letter.replays)</td><td>\(Format.age(now.timeIntervalSince(letter.deadLetteredAt))) ago</td></tr>
            """
        }
        let ids = candidates.map { String($0.id) }.joined(separator: ",")
        let count = candidates.count == 1 ? "1 dead letter" : "\(candidates.count) dead letters"
        return Layout.page(title: "Replay dead letters", section: .deadLetters, viewer: viewer, """
            <p class="notice" id="replay-count">This replays <strong>\(count)</strong>, oldest first, each back onto the topic it \
            came from\(candidates.count == limit ? " (the newest \(limit) matching; replay again for more)" : "").</p>
            <form method="post" action="\(path)" class="actions resolve">\(viewer.csrfField)\(query.hidden)\
            <input type="hidden" name="ids" value="\(ids)">\(DeadLetterReplayNotes.fields)\
            <button id="confirm-replay">Replay \(count)</button> <a href="\(back)">cancel</a></form>
            <p class="muted" id="replay-safety">\(DeadLetterReplayNotes.safeToRepeat)</p>
            <div class="scroll"><table id="candidates"><thead><tr><th>ID</th><th>reason</th><th>request</th><th>topic</th>\
            <th class="num">replays before</th><th>dead-lettered</th></tr></thead><tbody>\(rows)</tbody></table></div>
            """)
    }

    /// The IDs a confirm form sent, or nil when they are not a short list of dead-letter IDs.
    static func ids(_ text: String?) -> [Int64]? {
        guard let text else { return nil }
        let ids = text.split(separator: ",").map { Int64($0.trimmingCharacters(in: .whitespaces)) }
        guard !ids.isEmpty, ids.count <= limit, ids.allSatisfy({ ($0 ?? 0) > 0 }) else { return nil }
        return ids.compactMap { $0 }
    }
}
