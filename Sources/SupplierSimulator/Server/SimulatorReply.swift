import Foundation
import Hummingbird

/// Builds the simulator's HTTP responses.
enum SimulatorReply {
    /// A plain-text reply.
    static func text(_ body: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// A JSON reply from already-encoded text.
    static func json(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// A JSON reply from an `Encodable` value, snake_case keys, ISO 8601 dates.
    static func encoded(_ value: some Encodable) -> Response {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A 429 with `Retry-After` in whole seconds.
    static func rateLimited(_ body: String, retryAfter: Double, status: HTTPResponse.Status = .tooManyRequests) -> Response {
        var headers: HTTPFields = [:]
        headers[.retryAfter] = String(max(1, Int(retryAfter.rounded(.up))))
        return Self.text(body, status: status, headers: headers)
    }
}
