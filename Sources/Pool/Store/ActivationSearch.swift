import Activation
import Foundation

/// Which activations to find (the console's search): every part that is set must match; nil parts match all.
public struct ActivationSearch: Sendable, Hashable {
    /// Exactly this request ID.
    public var requestID: String?
    /// Exactly this idempotency key.
    public var idempotencyKey: String?
    /// Only this account's.
    public var accountID: String?
    /// Only those whose current attempt holds this phone number (E.164, as the supplier sold it).
    public var phone: String?
    /// Only those in this state now.
    public var state: ActivationState?
    /// Only those taken in at or after.
    public var from: Date?
    /// Only those taken in before.
    public var to: Date?
    /// The most to return, newest first. Default: 50.
    public var limit: Int

    /// Creates a search; nil parts match everything.
    public init(
        requestID: String? = nil, idempotencyKey: String? = nil, accountID: String? = nil, phone: String? = nil,
        state: ActivationState? = nil, from: Date? = nil, to: Date? = nil, limit: Int = 50
    ) {
        self.requestID = requestID
        self.idempotencyKey = idempotencyKey
        self.accountID = accountID
        self.phone = phone
        self.state = state
        self.from = from
        self.to = to
        self.limit = limit
    }

    /// Whether nothing narrows the search (it then lists the newest activations).
    public var isEmpty: Bool {
        requestID == nil && idempotencyKey == nil && accountID == nil && phone == nil && state == nil && from == nil && to == nil
    }
}
