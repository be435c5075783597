import AsyncHTTPClient
import Basics
import Foundation
import Logging

/// The adapter for 5sim's REST API: `GET {base}/user/…` with `Authorization: Bearer <token>`.
///
/// 5sim has no "another code" action (``requestAnotherCode(_:)`` throws `unsupported`) and no "ready" status
/// (``markReady(_:)`` does nothing). Active activations come from the order history (`/user/orders`).
public struct FiveSimClient: SupplierClient {
    /// The supplier account.
    public let configuration: SupplierConfiguration
    let transport: SupplierTransport
    let base: String

    public var name: String { self.configuration.name }

    /// Creates the adapter.
    ///
    /// - Parameters:
    ///   - configuration: the supplier account; `api` should be `.fiveSim`, `baseURL` ends with `/v1`.
    ///   - httpClient: the process's shared HTTP client.
    ///   - rateShare: this process's part of the account's rate limit. Default: all of it.
    ///   - logger: requests log at debug with `supplier` metadata, never with the token.
    public init(
        configuration: SupplierConfiguration, httpClient: HTTPClient, rateShare: RateShare = RateShare(), logger: Logger
    ) {
        self.configuration = configuration
        self.transport = SupplierTransport(
            configuration: configuration, httpClient: httpClient, rateShare: rateShare, logger: logger)
        var base = configuration.baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.base = base
    }

    public func buy(_ order: PurchaseOrder) async throws(SupplierError) -> PurchasedNumber {
        let path = "/user/buy/activation/\(QueryString.escape(order.country.fiveSimName))/"
            + "\(QueryString.escape(order.numberType.fiveSimOperator))/\(QueryString.escape(order.service.fiveSimProduct))"
        var parameters: [(String, String?)] = [("maxPrice", order.maxPrice.map { "\($0)" })]
        if let referenceParameter = self.configuration.referenceParameter {
            parameters.append((referenceParameter, order.reference))
        }
        let result = try await self.order(path, parameters, action: "buy", sendBy: order.sendBy)
        let now = Date()
        let purchasedAt = result.createdAt.flatMap(SupplierDate.parse) ?? now
        guard let phone = result.phone, let id = result.id.nonEmpty else {
            throw self.transport.error(.unknownReply, "buy", "order without id or phone; check the base URL")
        }
        return PurchasedNumber(
            supplier: self.name,
            activationID: id,
            phoneNumber: PhoneNumber.e164(phone),
            cost: result.price?.decimal,
            operator: result.operator,
            canGetAnotherSMS: false,
            purchasedAt: purchasedAt,
            expiresAt: result.expires.flatMap(SupplierDate.parse) ?? purchasedAt + self.configuration.activationLifetime.seconds,
            // created_at may be truncated or skewed: the window counted from the reply's arrival is never early.
            cancellableAt: max(purchasedAt, now) + self.configuration.earlyCancelWindow.seconds
        )
    }

    public func status(of activationID: String) async throws(SupplierError) -> SupplierStatus {
        let result = try await self.order("/user/check/\(QueryString.escape(activationID))", [], action: "check")
        return try self.status(of: result, action: "check")
    }

    public func markReady(_ activationID: String) async throws(SupplierError) {}

    public func requestAnotherCode(_ activationID: String) async throws(SupplierError) {
        throw self.transport.error(.unsupported, "anotherCode", "5sim cannot send another code; buy a new number instead")
    }

    public func finish(_ activationID: String) async throws(SupplierError) {
        _ = try await self.order("/user/finish/\(QueryString.escape(activationID))", [], action: "finish")
    }

    public func cancel(_ activationID: String) async throws(SupplierError) {
        _ = try await self.order("/user/cancel/\(QueryString.escape(activationID))", [], action: "cancel")
    }

    /// Sends one request and decodes the order it returns.
    func order(
        _ path: String, _ parameters: [(String, String?)], action: String, sendBy: ContinuousClock.Instant? = nil
    ) async throws(SupplierError) -> FiveSimOrder {
        let reply = try await self.call(path, parameters, action: action, sendBy: sendBy)
        guard let order = try? JSONDecoder().decode(FiveSimOrder.self, from: Data(reply.trimmed.utf8)) else {
            throw self.unknown(action, reply)
        }
        return order
    }

    func status(of order: FiveSimOrder, action: String) throws(SupplierError) -> SupplierStatus {
        guard let status = order.supplierStatus else {
            throw self.transport.error(.unknownReply, action, "unknown order status '\(order.status ?? "")'")
        }
        return status
    }

    /// Sends one request and returns its reply, or throws the error the reply stands for.
    func call(
        _ path: String, _ parameters: [(String, String?)], action: String, sendBy: ContinuousClock.Instant? = nil
    ) async throws(SupplierError) -> SupplierReply {
        let query = QueryString.encode(parameters)
        let url = self.base + path + (query.isEmpty ? "" : "?" + query)
        let reply = try await self.transport.get(
            url,
            headers: [("Authorization", "Bearer \(self.configuration.apiKey.value)"), ("Accept", "application/json")],
            action: action,
            sendBy: sendBy
        )
        if reply.status != 429, FiveSimErrors.isRateLimitRefusal(reply) {
            // The per-IP limit comes as a 503, often without `Retry-After`: the transport paces on 429s only.
            self.transport.refusedForRate()
        }
        if let error = FiveSimErrors.error(in: reply, action: action, transport: self.transport) {
            throw error
        }
        return reply
    }

    /// The error for a reply this adapter cannot read.
    func unknown(_ action: String, _ reply: SupplierReply) -> SupplierError {
        self.transport.error(.unknownReply, action, "unrecognised reply; check that the supplier speaks 5sim", reply: reply)
    }
}
