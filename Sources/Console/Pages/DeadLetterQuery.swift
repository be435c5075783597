import Escalation
import Foundation
import Pool

/// The dead-letter filters of a query string or form: what the list shows and what a filtered replay takes, so
/// both read the same fields (`reason`, `since`, `account`, `request`, `replayed`) by the rules of `otppool dlq`.
struct DeadLetterQuery: Sendable {
    static let names = ["reason", "since", "account", "request", "replayed"]

    let fields: FormFields

    /// The filter the fields ask for, or why they cannot be used. Ages (`30m`, `2h`, `7d`) count back from `now`.
    func filter(now: Date, limit: Int = 100) -> Result<DeadLetterFilter, Overview.Failure> {
        var filter = DeadLetterFilter(reasonCode: fields["reason"], accountID: fields["account"], requestID: fields["request"], limit: limit)
        if let since = fields["since"] {
            guard let date = RelativeTime.since(since, now: now) else {
                return .failure(.init(message: "since \"\(since)\" is neither a time like 2026-11-29T10:00:00Z nor an age like 30m, 2h or 7d"))
            }
            filter.since = date
        }
        switch fields["replayed"] {
        case nil: break
        case "yes": filter.replayed = true
        case "no": filter.replayed = false
        case let other?: return .failure(.init(message: "replayed \"\(other)\" is neither yes nor no"))
        }
        return .success(filter)
    }

    /// The fields again as a query string (`reason=malformed_json&since=2h`), leaving out `dropping`.
    func encoded(dropping: Set<String> = []) -> String {
        Self.names.filter { !dropping.contains($0) }.compactMap { name in
            fields[name].map { "\(name)=\($0.addingPercentEncoding(withAllowedCharacters: .urlQueryValueAllowed) ?? "")" }
        }.joined(separator: "&")
    }

    /// The fields as hidden inputs, so a form carries the filter on.
    var hidden: HTML {
        HTML.join(Self.names.compactMap { name in
            fields[name].map { "<input type=\"hidden\" name=\"\(name)\" value=\"\($0)\">" as HTML }
        })
    }
}
