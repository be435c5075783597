import CLibPQ
import Logging

/// Receives the server's notices (`NOTICE: relation … already exists, skipping`) and logs them at debug
/// level, instead of libpq's default of printing them to standard error.
final class PGNoticeSink: Sendable {
    let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    /// Installs the sink on a connection. The caller keeps the sink alive as long as the connection.
    func install(on connection: OpaquePointer) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        PQsetNoticeReceiver(connection, { context, result in
            guard let context, let result else { return }
            let sink = Unmanaged<PGNoticeSink>.fromOpaque(context).takeUnretainedValue()
            let message = PQresultErrorField(result, Int32(Character("M").asciiValue!)).map { String(cString: $0) }
            let severity = PQresultErrorField(result, Int32(Character("V").asciiValue!)).map { String(cString: $0) }
            sink.logger.debug(
                "PostgreSQL notice",
                metadata: ["postgres.notice": "\(message ?? "")", "postgres.severity": "\(severity ?? "NOTICE")"]
            )
        }, context)
    }
}
