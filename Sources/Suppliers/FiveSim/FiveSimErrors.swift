/// Turns 5sim's plain-text and status-code errors into ``SupplierError``s.
enum FiveSimErrors {
    /// The error this reply stands for, or nil when it is not an error.
    static func error(in reply: SupplierReply, action: String, transport: SupplierTransport) -> SupplierError? {
        let text = reply.trimmed.lowercased()
        func make(_ code: SupplierError.Code, _ message: String) -> SupplierError {
            transport.error(code, action, message, reply: reply)
        }
        if isRateLimitRefusal(reply) {
            return make(.rateLimited, "rate limit hit; slow down and retry after the delay")
        }
        if reply.status == 401 { return make(.badKey, "token refused; fix the API key in the supplier configuration") }
        if text.first == "{" || text.first == "[" {
            return reply.status >= 500 ? make(.serverError, "supplier failed with HTTP \(reply.status); retry later") : nil
        }
        if text.hasPrefix("no free phones") { return make(.noInventory, "no numbers for this product and country; try a fallback") }
        if text.hasPrefix("not enough user balance") { return make(.noBalance, "balance too low; top up the supplier account") }
        if text.hasPrefix("not enough rating") {
            return make(.banned, "account rating too low to buy; use another supplier while it recovers")
        }
        if text.hasPrefix("bad country") { return make(.badCountry, "country unknown to 5sim; check the catalogue's fivesim name") }
        if text.hasPrefix("bad operator") { return make(.badOperator, "operator unknown to 5sim; check the number type") }
        if text.hasPrefix("no product") { return make(.badService, "product unknown to 5sim; check the catalogue's fivesim name") }
        if text.hasPrefix("order not found") { return make(.noActivation, "order unknown to 5sim") }
        if text.hasPrefix("order has sms") { return make(.badStatus, "the order has an SMS: finish it instead of cancelling") }
        if text.hasPrefix("order no sms") { return make(.badStatus, "the order has no SMS yet: cancel it instead of finishing") }
        if text.hasPrefix("order expired") { return make(.badStatus, "the order has expired") }
        if text.hasPrefix("you need to wait time") {
            return action == "cancel"
                ? make(.earlyCancelDenied, "cancel refused inside the early-cancel window; cancel again after it")
                : make(.rateLimited, "the supplier asks to wait; retry later")
        }
        if reply.status >= 500 { return make(.serverError, "supplier failed with HTTP \(reply.status); retry later") }
        if reply.status >= 400 || !text.isEmpty {
            return make(.unknownReply, "unrecognised reply; check that the supplier speaks 5sim")
        }
        return nil
    }

    /// Whether 5sim refused the request for its rate: a 429 (`api limit is 100 requests per second`, per key) or its
    /// per-IP `ip address limit …` (a 503, with or without `Retry-After`). Its "you need to wait time" is not one:
    /// that is about the order, not the pace.
    static func isRateLimitRefusal(_ reply: SupplierReply) -> Bool {
        let text = reply.trimmed.lowercased()
        return reply.status == 429 || text.hasPrefix("api limit") || text.hasPrefix("ip address limit")
    }
}
