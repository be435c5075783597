import Activation
import Foundation
import Pool

/// Finding activations: by request ID, idempotency key, account, phone number, state or intake time range.
enum ActivationsPage {
    /// The search a query string asks for, or why it cannot be run.
    static func search(_ fields: FormFields) -> Result<ActivationSearch, Overview.Failure> {
        var search = ActivationSearch(
            requestID: fields["request_id"], idempotencyKey: fields["key"], accountID: fields["account"], phone: fields["phone"])
        if let state = fields["state"] {
            guard let value = ActivationState(rawValue: state) else {
                return .failure(.init(message: "state \"\(state)\" is unknown; use one of "
                    + ActivationState.allCases.map(\.rawValue).joined(separator: ", ")))
            }
            search.state = value
        }
        for (name, assign) in [("from", { (date: Date) in search.from = date }), ("to", { search.to = $0 })] as [(String, (Date) -> Void)] {
            guard let text = fields[name] else { continue }
            guard let date = Format.parseTime(text) else {
                return .failure(.init(message: "\(name) \"\(text)\" is not a time; use 2026-12-05T02:47 (UTC) or RFC 3339"))
            }
            assign(date)
        }
        return .success(search)
    }

    static func page(fields: FormFields, results: Result<[ActivationListing], Overview.Failure>, viewer: Viewer) -> HTML {
        let options = HTML.join(([""] + ActivationState.allCases.map(\.rawValue)).map { state -> HTML in
            state == (fields["state"] ?? "")
                ? "<option value=\"\(state)\" selected>\(state.isEmpty ? "any state" : state)</option>"
                : "<option value=\"\(state)\">\(state.isEmpty ? "any state" : state)</option>"
        })
        func input(_ name: String, _ label: String, type: String = "search") -> HTML {
            "<label>\(label)<input type=\"\(type)\" name=\"\(name)\" value=\"\(fields[name] ?? "")\"></label>"
        }
        let form: HTML = """
            <form class="filters" method="get" action="/console/activations">
            \(input("request_id", "request ID"))\(input("key", "idempotency key"))\(input("account", "account"))\
            \(input("phone", "phone number"))<label>state<select name="state">\(options)</select></label>\
            \(input("from", "taken in from (UTC)", type: "datetime-local"))\(input("to", "to (UTC)", type: "datetime-local"))
            <button>Search</button> <a href="/console/activations">clear</a>
            </form>
            """
        return Layout.page(title: "Activations", section: .activations, viewer: viewer, "\(form)\(table(results))")
    }

    private static func table(_ results: Result<[ActivationListing], Overview.Failure>) -> HTML {
        Layout.results(
            results, nothing: "no activation matches",
            header: """
                <th>request</th><th>state</th><th>account</th><th>service/country</th>\
                <th class="num">attempt</th><th>supplier</th><th>number</th><th>taken in</th><th>last change</th>
                """
        ) { listing in
            """
            <tr class="state-\(listing.state.rawValue)"><td><a href="\(ActivationPage.link(listing.requestID))">\(listing.requestID)</a></td>\
            <td>\(listing.state.rawValue)</td><td>\(listing.accountID)</td><td>\(listing.service)/\(listing.country)</td>\
            <td class="num">\(listing.attempt)</td><td>\(listing.supplier ?? "–")</td><td>\(listing.phone ?? "–")</td>\
            <td>\(Format.time(listing.createdAt))</td><td>\(Format.time(listing.updatedAt))</td></tr>
            """
        }
    }
}
