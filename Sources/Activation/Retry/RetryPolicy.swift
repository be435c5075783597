import Basics
import Foundation

/// Decides, after an attempt failed, whether to try again and with what changed, as a pure function.
///
/// The fallback chain: another allowed country (in the request's order), another supplier of the pool,
/// another number type, each possibly at a later time. An attempt never repeats an earlier
/// (supplier, service, country, number type) — except after a transient failure (5xx, timeout, rate limit,
/// transport), where a later time is the change: the same route may be tried again after back-off, within
/// ``maxAttempts`` and ``maxTotalTime``. Which change comes first depends on the failure:
///
/// | failure | first change | then |
/// |---|---|---|
/// | no numbers, code never arrived, bad country, price above limit | next country, same supplier | next supplier |
/// | banned, 5xx, timeout, transport, rate limit, ended by supplier, other | another supplier, same country | next country |
/// | no balance, bad service | give up (`not_retriable`): the client's workflow or account must change | |
///
/// A banned supplier is skipped for the rest of the activation. When the chosen attempt goes back to a
/// supplier that just failed transiently, it waits (the supplier's `retryAfter`, else exponential back-off).
public struct RetryPolicy: Sendable, Hashable, Codable {
    /// The most attempts per activation, the first included. Default: 4.
    public var maxAttempts: Int
    /// The most time from intake to the last attempt's start. Default: 20 minutes.
    public var maxTotalTime: Duration
    /// The first back-off delay. Default: 2 seconds.
    public var backoffBase: Duration
    /// The longest back-off delay. Default: 60 seconds.
    public var backoffMax: Duration
    /// Number types a request's number type may fall back to, in order (`["mobile": ["any"]]`). Default: none.
    public var numberTypeFallbacks: [String: [String]]

    /// Creates a policy; every parameter has the documented default.
    public init(
        maxAttempts: Int = 4,
        maxTotalTime: Duration = .seconds(20 * 60),
        backoffBase: Duration = .seconds(2),
        backoffMax: Duration = .seconds(60),
        numberTypeFallbacks: [String: [String]] = [:]
    ) {
        self.maxAttempts = maxAttempts
        self.maxTotalTime = maxTotalTime
        self.backoffBase = backoffBase
        self.backoffMax = backoffMax
        self.numberTypeFallbacks = numberTypeFallbacks
    }

    /// The number types a request accepts: its own, then the configured fallbacks.
    public func numberTypes(for request: ActivationRequest) -> [String] {
        var types = [request.numberType]
        for fallback in self.numberTypeFallbacks[request.numberType] ?? [] where !types.contains(fallback) {
            types.append(fallback)
        }
        return types
    }

    /// The first attempt: the first country, the first supplier, the request's number type.
    public func firstAttempt(for request: ActivationRequest, context: RetryContext) -> AttemptSpec? {
        guard let supplier = context.suppliers.first, let country = request.countries.first else { return nil }
        let route = AttemptRoute(
            supplier: supplier, service: request.service, country: country, numberType: request.numberType)
        return AttemptSpec(number: 1, route: route, requestID: request.requestID)
    }

    /// What to do after the last of `attempts` failed with `failure`.
    ///
    /// - Parameters:
    ///   - request: the activation's request (countries, service, number type).
    ///   - attempts: every attempt so far, the failed one last.
    ///   - failure: why the last attempt failed.
    ///   - context: the pool's suppliers and the accepted number types.
    ///   - startedAt: when the activation was taken in (the time budget runs from here).
    ///   - now: the current time.
    public func decide(
        request: ActivationRequest, attempts: [AttemptRecord], failure: AttemptFailure, context: RetryContext,
        startedAt: Date, now: Date
    ) -> RetryDecision {
        let failed = attempts.last?.spec.route
        let what = failed.map { "\(failure.code) at \($0.supplier) in \($0.country)" } ?? failure.code
        if case .purchaseFailed(let kind) = failure, kind == .noBalance || kind == .badService {
            return .giveUp(
                code: .notRetriable,
                reason: "\(what): not worth retrying; the account or the service code must change first")
        }
        if attempts.count >= self.maxAttempts {
            return .giveUp(code: .attemptsExhausted, reason: "\(what); all \(self.maxAttempts) attempts used")
        }
        let deadline = startedAt + self.maxTotalTime
        if now >= deadline {
            return .giveUp(
                code: .timeExhausted, reason: "\(what); the \(Int(self.maxTotalTime.seconds)) s time budget is spent")
        }
        guard let route = self.nextRoute(request: request, attempts: attempts, failure: failure, context: context)
        else {
            return .giveUp(
                code: .chainExhausted, reason: "\(what); every allowed supplier, country and number type was tried")
        }
        let spec = AttemptSpec(number: attempts.count + 1, route: route, requestID: request.requestID)
        let notBefore = self.delay(failure: failure, route: route, attempts: attempts).map(now.addingTimeInterval)
        if let notBefore, notBefore >= deadline {
            return .giveUp(code: .timeExhausted, reason: "\(what); a retry would start after the time budget")
        }
        var reason = "\(what) → attempt \(spec.number): \(self.change(from: failed, to: route))"
        if let notBefore { reason += " after \(Int(notBefore.timeIntervalSince(now).rounded(.up))) s" }
        return .retry(spec, notBefore: notBefore, reason: reason)
    }
}
