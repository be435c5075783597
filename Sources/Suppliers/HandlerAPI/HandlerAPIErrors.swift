import Basics
import Foundation

/// Turns handler_api error replies into ``SupplierError``s, whatever the HTTP status they came with.
///
/// Codes are matched by prefix on the trimmed body (`BANNED:2024-01-01 10:00:00`), or read from the JSON form
/// some providers use (`{"title":"EARLY_CANCEL_DENIED","info":{"minActivationTime":120}}`,
/// `{"status":"error","message":"NO_NUMBERS"}`).
enum HandlerAPIErrors {
    /// The error this reply stands for, or nil when it is not an error.
    static func error(in reply: SupplierReply, action: String, transport: SupplierTransport) -> SupplierError? {
        let body = reply.trimmed
        var code = Substring(body)
        var minimumActivationTime: Duration?
        if body.first == "{", let json = Self.jsonError(body) {
            code = Substring(json.code)
            minimumActivationTime = json.minimumActivationTime
        }
        if reply.status == 429 {
            return transport.error(.rateLimited, action, "rate limit hit; slow down and retry after the delay", reply: reply)
        }
        guard var error = Self.classify(code, action: action, reply: reply, transport: transport) else {
            if reply.status >= 500 {
                return transport.error(.serverError, action, "supplier failed with HTTP \(reply.status); retry later", reply: reply)
            }
            return nil
        }
        if let minimumActivationTime {
            error.minimumActivationTime = minimumActivationTime
        }
        return error
    }

    private static func classify(
        _ code: Substring,
        action: String,
        reply: SupplierReply,
        transport: SupplierTransport
    ) -> SupplierError? {
        func make(_ kind: SupplierError.Code, _ message: String) -> SupplierError {
            transport.error(kind, action, message, reply: reply)
        }
        if code.hasPrefix("NO_NUMBERS") { return make(.noInventory, "no numbers for this service and country; try a fallback") }
        if code.hasPrefix("NO_BALANCE") { return make(.noBalance, "balance too low; top up the supplier account") }
        if code.hasPrefix("BAD_KEY") { return make(.badKey, "API key refused; fix the key in the supplier configuration") }
        if code.hasPrefix("BAD_SERVICE") || code.hasPrefix("WRONG_SERVICE") {
            return make(.badService, "service code unknown to the supplier; check the catalogue's handler_api code")
        }
        if code.hasPrefix("BAD_COUNTRY") || code.hasPrefix("WRONG_COUNTRY") {
            return make(.badCountry, "country id unknown to the supplier; check the catalogue's handler_api id")
        }
        if code.hasPrefix("BAD_OPERATOR") || code.hasPrefix("WRONG_OPERATOR") {
            return make(.badOperator, "operator unknown to the supplier; check the number type's handler_api operator")
        }
        if code.hasPrefix("BAD_ACTION") { return make(.unsupported, "the supplier does not support this action") }
        if code.hasPrefix("ERROR_SQL") { return make(.serverError, "supplier database error; retry later") }
        if code.hasPrefix("CHANNELS_LIMIT") { return make(.channelsLimit, "too many open activations; retry when some end") }
        if code.hasPrefix("NO_ACTIVATIONS") { return nil }
        if code.hasPrefix("NO_ACTIVATION") || code.hasPrefix("WRONG_ACTIVATION_ID") {
            return make(.noActivation, "activation id unknown to the supplier")
        }
        if code.hasPrefix("BAD_STATUS") { return make(.badStatus, "status change not allowed in the activation's state") }
        if code.hasPrefix("EARLY_CANCEL_DENIED") {
            return make(.earlyCancelDenied, "cancel refused inside the early-cancel window; cancel again after it")
        }
        if code.hasPrefix("BANNED") {
            var error = make(.banned, "account banned by the supplier; use another supplier until the ban ends")
            error.bannedUntil = Self.field(after: code)
            return error
        }
        if code.hasPrefix("WRONG_MAX_PRICE") {
            var error = make(.wrongMaxPrice, "max price below the supplier's price; raise it or try a fallback")
            error.minimumPrice = Self.field(after: code).flatMap { Decimal(written: $0) }
            if let minimum = error.minimumPrice { error.message += " (minimum \(minimum))" }
            return error
        }
        return nil
    }

    /// The text after the first `:`, without quotes.
    private static func field(after code: Substring) -> String? {
        guard let colon = code.firstIndex(of: ":") else { return nil }
        let value = code[code.index(after: colon)...].trimmingCharacters(in: CharacterSet(charactersIn: "'\" "))
        return value.isEmpty ? nil : value
    }

    /// The code and details of a JSON error body, or nil when the JSON is not an error.
    ///
    /// Read with ``JSONScanner``: every JSON reply is checked, an active list of thousands of numbers included, and a
    /// decoder built the whole body's tree to find the four members it wanted.
    private static func jsonError(_ body: Substring) -> (code: String, minimumActivationTime: Duration?)? {
        var title, status, message, error: String?
        var minimum: LenientValue?
        let read = JSONScanner.scan(body) { scanner in
            let members = scanner.object { scanner, key in
                switch key {
                case "title", "status", "message", "error":
                    guard let value = scanner.lenientValue() else { return false }
                    switch key {
                    case "title": title = value.text
                    case "status": status = value.text
                    case "message": message = value.text
                    default: error = value.text
                    }
                    return true
                case "info":
                    return scanner.null() || scanner.object { scanner, key in
                        guard key == "minActivationTime" else { return scanner.skipValue() }
                        minimum = scanner.lenientValue()
                        return minimum != nil
                    } || scanner.skipValue()
                default:
                    return scanner.skipValue()
                }
            }
            return members && scanner.atEnd()
        }
        guard read, let code = title ?? (status == "error" ? message ?? error : nil) else { return nil }
        return (code, minimum?.int.map { Duration.seconds($0) })
    }
}
