import Activation
import Basics
import Foundation
import Suppliers

extension SupplierError {
    /// The domain's view of this error: what kind of failure it is, with the supplier's verbatim reply.
    var domainFailure: SupplierFailure {
        SupplierFailure(domainKind, message: message, reply: reply)
    }

    private var domainKind: SupplierFailure.Kind {
        switch code {
        case .noInventory: .noInventory
        case .noBalance: .noBalance
        case .banned: .banned(until: bannedUntil)
        case .earlyCancelDenied: .earlyCancelDenied(until: minimumActivationTime.map { Date().addingTimeInterval($0.seconds) })
        case .rateLimited, .channelsLimit: .rateLimited(retryAfterSeconds: retryAfter?.seconds)
        case .timeout: .timeout
        case .transport: .transport
        case .serverError: .serverError
        case .badService: .badService
        case .badCountry, .badOperator, .unknownCode: .badCountry
        case .wrongMaxPrice: .priceAboveLimit
        case .noActivation: .noActivation
        case .badStatus: .badStatus
        case .notSent: .notSent
        default: .other
        }
    }
}

extension SupplierStatus {
    /// The domain's view of a status reply.
    var pollResult: PollResult {
        switch self {
        case .waitingForCode, .waitingForResend, .waitingForAnotherCode: .waiting
        case .codeReceived(let code, let text): .code(code, text: text, reply: nil)
        case .cancelled: .cancelledBySupplier(reply: nil)
        case .finished(let code): .finished(code: code, reply: nil)
        case .expired: .expired(reply: nil)
        case .banned: .banned(reply: nil)
        }
    }
}
