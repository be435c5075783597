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

    /// A gateway's 502 with its HTML page, as nginx or a load balancer answers when it lost the supplier's reply:
    /// no supplier code in the body, so a client can only tell that it does not know what happened.
    static func badGateway() -> Response {
        let page = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
            + "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
        return Response(
            status: .badGateway, headers: [.contentType: "text/html"], body: .init(byteBuffer: ByteBuffer(string: page))
        )
    }

    /// A 429 (or `status`) with `Retry-After` in whole seconds, or without it when `retryAfter` is nil.
    static func rateLimited(_ body: String, retryAfter: Double?, status: HTTPResponse.Status = .tooManyRequests) -> Response {
        var headers: HTTPFields = [:]
        if let retryAfter { headers[.retryAfter] = String(max(1, Int(retryAfter.rounded(.up)))) }
        return Self.text(body, status: status, headers: headers)
    }
}
