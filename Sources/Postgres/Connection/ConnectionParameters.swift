import CLibPQ
import Foundation

/// A configuration turned into libpq's keyword/value arrays, with the session settings this module relies
/// on merged in.
///
/// Parsing happens here (with `PQconninfoParse`) rather than in `PQconnectdb`, so a malformed URL or
/// conninfo fails at once with libpq's explanation, and so the redacted form can be built from the parsed
/// fields instead of by editing the string.
struct ConnectionParameters: Sendable {
    private(set) var keywords: [String] = []
    private(set) var values: [String] = []
    /// `postgresql://user@host:port/database`, never with the password.
    let redacted: String

    init(_ configuration: PostgresConfiguration) throws {
        var parsed = try Self.parse(configuration.connectionString)
        // libpq checks the port only when connecting, and then reports it like an unreachable server.
        if let ports = parsed["port"], !ports.split(separator: ",", omittingEmptySubsequences: false).allSatisfy({ UInt16($0) != nil }) {
            throw PostgresError(
                code: .invalidConfiguration,
                message: "the PostgreSQL port \"\(ports)\" is not a number from 1 to 65535; fix the connection string "
                    + "(postgresql://user@host:port/database)"
            )
        }

        if let applicationName = configuration.applicationName {
            parsed["application_name"] = applicationName
        } else if parsed["application_name"] == nil {
            parsed["application_name"] = "otppool"
        }
        if parsed["connect_timeout"] == nil {
            let seconds = max(1, Int(configuration.connectTimeout.components.seconds))
            parsed["connect_timeout"] = String(seconds)
        }
        parsed["client_encoding"] = "UTF8"
        // UTC and ISO output make timestamptz text parse the same on every server; ours come last so they win.
        var options = [parsed["options"], "-c TimeZone=UTC -c DateStyle=ISO"].compactMap { $0 }
        if configuration.genericPlans { options.append("-c plan_cache_mode=force_generic_plan") }
        if let searchPath = configuration.searchPath {
            let valid = searchPath.allSatisfy { name in
                !name.isEmpty && name.unicodeScalars.allSatisfy { $0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0) }
            }
            guard valid, !searchPath.isEmpty else {
                throw PostgresError(
                    code: .invalidConfiguration,
                    message: "search path \(searchPath) has a name that is not a plain identifier; "
                        + "use letters, digits and _ only"
                )
            }
            options.append("-c search_path=\(searchPath.joined(separator: ","))")
        }
        parsed["options"] = options.joined(separator: " ")

        for (keyword, value) in parsed.sorted(by: { $0.key < $1.key }) {
            keywords.append(keyword)
            values.append(value)
        }
        let user = parsed["user"].map { "\($0)@" } ?? ""
        let host = parsed["host"] ?? parsed["hostaddr"] ?? "localhost"
        let port = parsed["port"].map { ":\($0)" } ?? ""
        redacted = "postgresql://\(user)\(host)\(port)/\(parsed["dbname"] ?? "")"
    }

    /// The options the string sets explicitly (libpq adds no defaults here).
    private static func parse(_ connectionString: String) throws -> [String: String] {
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(connectionString, &errorMessage) else {
            let reason = errorMessage.map { String(cString: $0) } ?? "out of memory"
            if let errorMessage { PQfreemem(errorMessage) }
            throw PostgresError(
                code: .invalidConfiguration,
                message: "the PostgreSQL connection string cannot be parsed; write it as "
                    + "postgresql://user@host:port/database or as key=value pairs (host=… port=… dbname=…)",
                serverMessage: reason.trimmingTrailingNewlines
            )
        }
        defer { PQconninfoFree(options) }
        var parsed: [String: String] = [:]
        var index = 0
        while let keyword = options[index].keyword {
            if let value = options[index].val {
                parsed[String(cString: keyword)] = String(cString: value)
            }
            index += 1
        }
        return parsed
    }

    /// Calls `body` with NUL-terminated C arrays of the keywords and values, each ending in NULL.
    func withCArrays<R>(
        _ body: (UnsafePointer<UnsafePointer<CChar>?>, UnsafePointer<UnsafePointer<CChar>?>) -> R
    ) -> R {
        let cKeywords = keywords.map { UnsafePointer(strdup($0)) } + [nil]
        let cValues = values.map { UnsafePointer(strdup($0)) } + [nil]
        defer {
            for pointer in cKeywords + cValues { free(UnsafeMutablePointer(mutating: pointer)) }
        }
        return cKeywords.withUnsafeBufferPointer { keywordBuffer in
            cValues.withUnsafeBufferPointer { valueBuffer in
                body(keywordBuffer.baseAddress!, valueBuffer.baseAddress!)
            }
        }
    }
}

extension String {
    var trimmingTrailingNewlines: String {
        var text = self
        while text.last?.isNewline == true { text.removeLast() }
        return text
    }
}
