import AsyncHTTPClient
import Basics
import Foundation
import Logging

/// The adapter for SMS-Activate-compatible suppliers: `GET {base}/stubs/handler_api.php?api_key=…&action=…`.
///
/// Replies are read whatever the HTTP status; error codes are matched by prefix and kept verbatim in the
/// ``SupplierError``. Tolerates `getNumber` and `getNumberV2` replies to either action, the JSON error form and
/// `STATUS_WAIT_RETRY:<code>`.
public struct HandlerAPIClient: SupplierClient {
    /// The supplier account.
    public let configuration: SupplierConfiguration
    let transport: SupplierTransport
    private let endpoint: String

    public var name: String { self.configuration.name }

    /// Creates the adapter.
    ///
    /// - Parameters:
    ///   - configuration: the supplier account; `api` should be `.handlerAPI`.
    ///   - httpClient: the process's shared HTTP client.
    ///   - rateShare: this process's part of the account's rate limit. Default: all of it.
    ///   - logger: requests log at debug with `supplier` metadata, never with the key.
    public init(
        configuration: SupplierConfiguration, httpClient: HTTPClient, rateShare: RateShare = RateShare(), logger: Logger
    ) {
        self.configuration = configuration
        self.transport = SupplierTransport(
            configuration: configuration, httpClient: httpClient, rateShare: rateShare, logger: logger)
        var base = configuration.baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.endpoint = base.hasSuffix("handler_api.php") ? base : base + "/stubs/handler_api.php"
    }

    public func buy(_ order: PurchaseOrder) async throws(SupplierError) -> PurchasedNumber {
        let action = self.configuration.useNumberV2 ? "getNumberV2" : "getNumber"
        guard let country = order.country.handlerAPIID else {
            throw self.transport.error(
                .badCountry, action, "country '\(order.country.code)' has no handler_api id; add one to the catalogue"
            )
        }
        var parameters: [(String, String?)] = [
            ("service", order.service.handlerAPICode),
            ("country", String(country)),
            ("operator", order.numberType.handlerAPIOperator),
            ("maxPrice", order.maxPrice.map { "\($0)" }),
        ]
        if let referenceParameter = self.configuration.referenceParameter {
            parameters.append((referenceParameter, order.reference))
        }
        let reply = try await self.call(action, parameters, sendBy: order.sendBy)
        return try HandlerAPINumber.parse(reply, action: action, client: self)
    }

    public func status(of activationID: String) async throws(SupplierError) -> SupplierStatus {
        let reply = try await self.call("getStatus", [("id", activationID)])
        let body = reply.trimmed
        func field() -> String {
            body.firstIndex(of: ":").map { String(body[body.index(after: $0)...]) } ?? ""
        }
        if body.hasPrefix("STATUS_WAIT_CODE") { return .waitingForCode }
        if body.hasPrefix("STATUS_WAIT_RETRY") { return .waitingForAnotherCode(previousCode: field()) }
        if body.hasPrefix("STATUS_WAIT_RESEND") { return .waitingForResend }
        if body.hasPrefix("STATUS_CANCEL") { return .cancelled }
        if body.hasPrefix("STATUS_OK") { return .codeReceived(code: field(), text: nil) }
        throw self.unknown("getStatus", reply)
    }

    public func markReady(_ activationID: String) async throws(SupplierError) {
        try await self.setStatus(activationID, 1, expecting: "ACCESS_READY")
    }

    public func requestAnotherCode(_ activationID: String) async throws(SupplierError) {
        try await self.setStatus(activationID, 3, expecting: "ACCESS_RETRY_GET")
    }

    public func finish(_ activationID: String) async throws(SupplierError) {
        try await self.setStatus(activationID, 6, expecting: "ACCESS_ACTIVATION")
    }

    public func cancel(_ activationID: String) async throws(SupplierError) {
        try await self.setStatus(activationID, 8, expecting: "ACCESS_CANCEL")
    }

    public func balance() async throws(SupplierError) -> Decimal {
        let reply = try await self.call("getBalance", [])
        let body = reply.trimmed
        guard body.hasPrefix("ACCESS_BALANCE:"),
            let value = Decimal(written: String(body.dropFirst("ACCESS_BALANCE:".count)))
        else { throw self.unknown("getBalance", reply) }
        return value
    }

    private func setStatus(_ activationID: String, _ status: Int, expecting success: String) async throws(SupplierError) {
        let reply = try await self.call("setStatus", [("id", activationID), ("status", String(status))])
        guard reply.trimmed.hasPrefix(success) else { throw self.unknown("setStatus", reply) }
    }

    /// Sends one action and returns its reply, or throws the error the reply stands for.
    func call(
        _ action: String, _ parameters: [(String, String?)], sendBy: ContinuousClock.Instant? = nil
    ) async throws(SupplierError) -> SupplierReply {
        let query = QueryString.encode([("api_key", self.configuration.apiKey.value), ("action", action)] + parameters)
        let reply = try await self.transport.get(self.endpoint + "?" + query, action: action, sendBy: sendBy)
        if let error = HandlerAPIErrors.error(in: reply, action: action, transport: self.transport) {
            throw error
        }
        return reply
    }

    /// The error for a reply this adapter cannot read.
    func unknown(_ action: String, _ reply: SupplierReply) -> SupplierError {
        self.transport.error(.unknownReply, action, "unrecognised reply; check that the supplier speaks handler_api", reply: reply)
    }
}
