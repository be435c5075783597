import AsyncHTTPClient
import Basics
import Foundation
import Logging
import Metrics

/// The HTTP leg shared by both adapters: rate limit, timeout, body collection and transport error mapping.
struct SupplierTransport: Sendable {
    let configuration: SupplierConfiguration
    let httpClient: HTTPClient
    let limiter: RateLimiter
    let logger: Logger
    /// The logger the HTTP client gets: this one when it logs debug lines, else one that writes nothing. The client
    /// logs only at debug and trace, but sets a request ID in its logger's metadata for every request, and the
    /// standard handler formats all of its metadata again at each set (3% of a saturated worker's allocations).
    let httpLogger: Logger

    init(configuration: SupplierConfiguration, httpClient: HTTPClient, rateShare: RateShare = RateShare(), logger: Logger) {
        self.configuration = configuration
        self.httpClient = httpClient
        self.limiter = RateLimiter(
            requestsPerSecond: configuration.requestsPerSecond, burst: configuration.burst, share: rateShare)
        var logger = logger
        logger[metadataKey: "supplier"] = .string(configuration.name)
        self.logger = logger
        self.httpLogger = logger.logLevel <= .debug ? logger : Logger(label: logger.label, factory: { _ in SwiftLogNoOpLogHandler() })
    }

    /// Sends one GET and returns the reply whatever its HTTP status; throws only when no reply arrived, or
    /// ``SupplierError/Code/notSent`` when `sendBy` passed before the request could leave.
    func get(
        _ url: String, headers: [(String, String)] = [], action: String, sendBy: ContinuousClock.Instant? = nil
    ) async throws(SupplierError) -> SupplierReply {
        let inTime: Bool
        let queued = ContinuousClock.now
        do {
            inTime = try await self.limiter.acquire(by: sendBy)
        } catch {
            throw self.error(.transport, action, "cancelled while waiting for the rate limit")
        }
        RateLimitMetrics.waited(supplier: self.configuration.name, ContinuousClock.now - queued)
        if let sendBy, !inTime || ContinuousClock.now >= sendBy {
            throw self.error(
                .notSent, action,
                "not sent: its send deadline passed first (rate-limit wait or a paused worker); nothing happened at the supplier")
        }
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        for (name, value) in headers + (SupplierTraceHeaders.current?.fields ?? []) {
            request.headers.add(name: name, value: value)
        }
        let started = ContinuousClock.now
        do {
            let response = try await self.httpClient.execute(
                request,
                timeout: .milliseconds(self.configuration.requestTimeout.milliseconds),
                logger: self.httpLogger
            )
            let body = try await response.body.collect(upTo: self.configuration.maxReplyBytes)
            let text = self.redacted(String(buffer: body))
            let retryAfter = response.headers.first(name: "Retry-After").flatMap(Double.init).map {
                Duration.milliseconds(Int64($0 * 1000))
            }
            self.logger.debug(
                "supplier reply",
                metadata: [
                    "supplier.action": .string(action), "http.status": .stringConvertible(response.status.code),
                    "duration": .string("\(ContinuousClock.now - started)"),
                ]
            )
            let reply = SupplierReply(status: Int(response.status.code), body: text, retryAfter: retryAfter)
            // A 429: the supplier's real limit is below the pace. (Refusals of a protocol's own form, such as 5sim's
            // 503 for its per-IP limit, are its adapter's to report.)
            if reply.status == 429 { self.refusedForRate() }
            return reply
        } catch let error as HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout:
                throw self.error(
                    .timeout, action,
                    "no reply within \(self.configuration.requestTimeout); a purchase may still have happened, "
                        + "reconcile with the active activations before buying again"
                )
            default:
                throw self.error(.transport, action, "HTTP request failed (\(error)); check base URL and network")
            }
        } catch is CancellationError {
            throw self.error(.transport, action, "request cancelled")
        } catch {
            // NIOTooManyBytesError: matched by name so that this module need not import NIOCore.
            if String(describing: type(of: error)).contains("TooManyBytes") {
                throw self.error(
                    .unknownReply, action,
                    "reply larger than \(self.configuration.maxReplyBytes) bytes; raise maxReplyBytes if this is expected"
                )
            }
            throw self.error(.transport, action, "HTTP request failed (\(error)); check base URL and network")
        }
    }

    /// Cuts the pace after the supplier refused a request for its rate (see ``RateLimiter/refused(now:)``).
    func refusedForRate() {
        if self.limiter.refused() { RateLimitMetrics.paceCut(supplier: self.configuration.name) }
    }

    /// Builds an error of this supplier.
    func error(
        _ code: SupplierError.Code,
        _ action: String,
        _ message: String,
        reply: SupplierReply? = nil,
        file: String = #fileID,
        line: Int = #line
    ) -> SupplierError {
        SupplierError(
            supplier: self.configuration.name,
            code: code,
            action: action,
            message: message,
            reply: reply?.body,
            httpStatus: reply?.status,
            retryAfter: reply?.retryAfter,
            file: file,
            line: line
        )
    }

    /// The reply with every occurrence of the API key removed.
    private func redacted(_ text: String) -> String {
        let key = self.configuration.apiKey.value
        guard key.count >= 4, UTF8Search.contains(text, key) else { return text }
        return text.replacingOccurrences(of: key, with: "<redacted>")
    }
}
