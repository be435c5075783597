import Activation
import ArgumentParser
import Escalation
import Foundation
import Runtime
import Pool

/// `otppool escalations show <request-id>`.
struct EscalationsShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show one escalation as a readable timeline with all its evidence.")

    @Argument(help: "The request ID.")
    var requestID: String

    @OptionGroup var postgres: PostgresOptions
    @OptionGroup var config: ConfigOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let settings = try await config.load(postgres.overrides, logging.overrides)
        let logger = settings.logging.bootstrap("otppool.escalations")
        let record = try await settings.withStore(applicationName: "otppool-escalations", logger: logger) { store in
            try await requireEscalation(store, requestID)
        }
        print(EscalationReport(record).text(colour: Terminal.colour))
    }
}

/// `otppool escalations export <request-id>`.
struct EscalationsExport: AsyncParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable { case json, markdown }

    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export one escalation as the package a support engineer sends on.")

    @Argument(help: "The request ID.")
    var requestID: String

    @Option(help: "json (the whole record) or markdown (readable, with tables).")
    var format: Format = .markdown

    @Option(name: .shortAndLong, help: "Write to this file instead of standard output.")
    var output: String?

    @OptionGroup var postgres: PostgresOptions
    @OptionGroup var config: ConfigOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let settings = try await config.load(postgres.overrides, logging.overrides)
        let logger = settings.logging.bootstrap("otppool.escalations")
        let record = try await settings.withStore(applicationName: "otppool-escalations", logger: logger) { store in
            try await requireEscalation(store, requestID)
        }
        let text: String
        switch format {
        case .markdown:
            text = EscalationReport(record).markdown()
        case .json:
            let encoder = WireFormat.makeEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            text = String(decoding: try encoder.encode(record), as: UTF8.self) + "\n"
        }
        if let output {
            do {
                try AtomicFile.write(text, to: output)
            } catch {
                throw ValidationError("cannot write \(output): \(error)")
            }
            print("wrote \(output) (\(format.rawValue), \(text.utf8.count) bytes)")
        } else {
            print(text, terminator: "")
        }
    }
}
