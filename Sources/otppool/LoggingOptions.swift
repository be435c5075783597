import ArgumentParser
import Logging

/// `--log-level` and `--log-format`, shared by every subcommand; logs go to standard error.
struct LoggingOptions: ParsableArguments {
    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical (logging.level; default info).")
    var logLevel: Logger.Level?

    @Option(help: "Log format: text or json (logging.format; default text).")
    var logFormat: String?

    /// The flags given, as configuration keys (commands that read the configuration).
    var overrides: [String: String?] { ["logging.level": logLevel?.rawValue, "logging.format": logFormat] }

    /// Sets up swift-log once and returns a logger for `label` (commands that do not read the configuration).
    func makeLogger(_ label: String) -> Logger {
        let level = logLevel ?? .info
        LoggingSystem.bootstrap { name in
            var handler = StreamLogHandler.standardError(label: name)
            handler.logLevel = level
            return handler
        }
        return Logger(label: label)
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
