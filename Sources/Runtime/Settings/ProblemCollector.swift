import Configuration
import Synchronization

/// Collects the configuration lookups that failed (a value of the wrong type in the file, the environment
/// or a flag), which swift-configuration otherwise answers with the default.
final class ProblemCollector: AccessReporter {
    private let problems = Mutex<[String]>([])

    func report(_ event: AccessEvent) {
        let key = event.metadata.key.components.joined(separator: ".")
        var found: [String] = []
        let expected = Self.describe(event.metadata.valueType)
        for provider in event.providerResults {
            if case .failure = provider.result {
                found.append("\(key) (from \(Self.source(provider.providerName))): the value is not \(expected)")
            }
        }
        if let error = event.conversionError {
            found.append("\(key): \(error); expected \(expected)")
        }
        if !found.isEmpty { problems.withLock { $0 += found } }
    }

    /// Where a provider's values come from, in the words of the documentation.
    private static func source(_ providerName: String) -> String {
        if providerName.contains("FileProvider") { return "the config file" }
        if providerName.contains("KeyMapping") { return "the environment" }
        return "a flag or --set"
    }

    private static func describe(_ type: ConfigType) -> String {
        switch type {
        case .int: "a whole number"
        case .double: "a number"
        case .bool: "true or false"
        case .string: "a string"
        case .stringArray: "a list of strings"
        default: "of type \(type)"
        }
    }

    func add(_ problem: String) {
        problems.withLock { $0.append(problem) }
    }

    var all: [String] { problems.withLock { $0 } }
}
