import Foundation
import Yams

extension SimulatorConfiguration {
    /// Reads a configuration from YAML; keys left out keep their defaults (see `config/supplier-sim.yaml`).
    ///
    /// - Throws: `SimulatorConfigurationError` naming the source and the problem.
    public init(yaml: String, source: String = "simulator configuration") throws {
        let file: SimulatorFile
        do {
            file = try YAMLDecoder().decode(SimulatorFile.self, from: yaml)
        } catch {
            throw SimulatorConfigurationError(message: "\(source) is not a valid simulator configuration: \(error)")
        }
        var configuration = SimulatorConfiguration()
        file.apply(to: &configuration)
        self = configuration
    }

    /// Loads a configuration from a YAML file.
    ///
    /// - Throws: `SimulatorConfigurationError` when the file cannot be read or is invalid.
    public static func load(path: String) throws -> SimulatorConfiguration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw SimulatorConfigurationError(message: "cannot read \(path) (\(error)); pass an existing file or no --config")
        }
        return try SimulatorConfiguration(yaml: text, source: path)
    }
}

/// A simulator configuration file that could not be read; the message says where and why.
public struct SimulatorConfigurationError: Error, CustomStringConvertible {
    /// What was wrong.
    public var message: String
    public var description: String { self.message }
}
