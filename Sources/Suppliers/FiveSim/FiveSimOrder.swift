import Foundation

/// A 5sim order as the REST API returns it.
struct FiveSimOrder: Decodable {
    var id: LenientValue
    var phone: String?
    var `operator`: String?
    var product: String?
    var price: LenientValue?
    var status: String?
    var expires: String?
    var sms: [SMS]?
    var createdAt: String?
    var country: String?

    struct SMS: Decodable {
        var code: LenientValue?
        var text: String?
    }

    private enum CodingKeys: String, CodingKey {
        case id, phone, `operator`, product, price, status, expires, sms, createdAt = "created_at", country
    }

    /// The newest SMS that carries a code.
    var latestSMS: SMS? {
        self.sms?.last { $0.code?.nonEmpty != nil }
    }

    /// The order's status in the protocol-neutral form, or nil for a status this adapter does not know.
    var supplierStatus: SupplierStatus? {
        switch self.status?.uppercased() {
        case "PENDING": return .waitingForCode
        case "RECEIVED":
            // RECEIVED means a number was handed out; a code has arrived only when `sms` is not empty.
            guard let sms = self.latestSMS, let code = sms.code?.nonEmpty else { return .waitingForCode }
            return .codeReceived(code: code, text: sms.text)
        case "CANCELED", "CANCELLED": return .cancelled
        case "TIMEOUT": return .expired
        case "FINISHED": return .finished(code: self.latestSMS?.code?.nonEmpty)
        case "BANNED": return .banned
        default: return nil
        }
    }
}
