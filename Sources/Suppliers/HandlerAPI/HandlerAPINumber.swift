import Basics
import Foundation

/// Reads purchase replies: `ACCESS_NUMBER:<id>:<phone>` (getNumber) or the getNumberV2 JSON, for either action.
enum HandlerAPINumber {
    /// The getNumberV2 reply's fields, each as the supplier wrote it.
    struct V2: Decodable, Equatable {
        var activationId: LenientValue?
        var phoneNumber: LenientValue?
        var activationCost: LenientValue?
        var currency: LenientValue?
        var canGetAnotherSms: LenientValue?
        var activationTime: LenientValue?
        var activationOperator: LenientValue?

        /// Reads a reply with ``JSONScanner`` (as the active list is read), where Foundation's `JSONDecoder` took about
        /// 2% of a saturated worker; a body the scanner refuses (not strict JSON: Foundation accepts a trailing comma)
        /// goes to that decoder, which decides as before. Nil when neither reads it.
        static func decode(_ body: Substring) -> V2? {
            read(body) ?? (try? JSONDecoder().decode(V2.self, from: Data(body.utf8)))
        }

        /// The scanner's reading: other members skipped, a key given twice keeps its last value. Nil when the body is
        /// not one well-formed JSON object.
        static func read(_ body: Substring) -> V2? {
            var fields = V2()
            let read = JSONScanner.scan(body) { scanner in
                let members = scanner.object { scanner, key in
                    let field: WritableKeyPath<V2, LenientValue?>
                    switch key {
                    case "activationId": field = \.activationId
                    case "phoneNumber": field = \.phoneNumber
                    case "activationCost": field = \.activationCost
                    case "currency": field = \.currency
                    case "canGetAnotherSms": field = \.canGetAnotherSms
                    case "activationTime": field = \.activationTime
                    case "activationOperator": field = \.activationOperator
                    default: return scanner.skipValue()
                    }
                    if scanner.null() {  // as a missing member, as `decodeIfPresent` reads it
                        fields[keyPath: field] = nil
                        return true
                    }
                    guard let value = scanner.lenientValue() else { return false }
                    fields[keyPath: field] = value
                    return true
                }
                return members && scanner.atEnd()
            }
            return read ? fields : nil
        }
    }

    static func parse(_ reply: SupplierReply, action: String, client: HandlerAPIClient) throws(SupplierError) -> PurchasedNumber {
        let configuration = client.configuration
        let now = Date()
        let body = reply.trimmed
        if body.hasPrefix("ACCESS_NUMBER:") {
            let fields = body.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3, !fields[1].isEmpty, !fields[2].isEmpty else { throw client.unknown(action, reply) }
            return PurchasedNumber(
                supplier: configuration.name,
                activationID: String(fields[1]),
                phoneNumber: PhoneNumber.e164(String(fields[2])),
                purchasedAt: now,
                expiresAt: now + configuration.activationLifetime.seconds,
                cancellableAt: now + configuration.earlyCancelWindow.seconds
            )
        }
        guard body.first == "{", let json = V2.decode(body),
            let id = json.activationId?.nonEmpty, let phone = json.phoneNumber?.nonEmpty
        else { throw client.unknown(action, reply) }
        // The supplier's activationTime is in its own time zone: trust it only when it is close to ours.
        let stated = json.activationTime?.text.flatMap(SupplierDate.parse)
        let purchasedAt = stated.flatMap { abs($0.timeIntervalSince(now)) < 300 ? $0 : nil } ?? now
        return PurchasedNumber(
            supplier: configuration.name,
            activationID: id,
            phoneNumber: PhoneNumber.e164(phone),
            cost: json.activationCost?.decimal,
            currency: json.currency?.nonEmpty.map(CurrencyCode.alpha),
            operator: json.activationOperator?.nonEmpty,
            canGetAnotherSMS: json.canGetAnotherSms?.bool,
            purchasedAt: purchasedAt,
            expiresAt: purchasedAt + configuration.activationLifetime.seconds,
            // activationTime has whole seconds, up to a second before the purchase: counting the window from
            // the reply's arrival never sends a cancel the supplier still refuses.
            cancellableAt: max(purchasedAt, now) + configuration.earlyCancelWindow.seconds
        )
    }
}
