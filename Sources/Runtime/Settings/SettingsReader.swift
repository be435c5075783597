import Configuration
import Foundation

/// Typed, validated reads of the pool's configuration: flags and `--set` over the environment (`OTPPOOL_…`)
/// over the YAML file over the documented defaults.
///
/// Every read records what is wrong instead of failing at once, so ``check()`` reports all problems in one
/// message naming each key and the expected form.
public struct SettingsReader: Sendable {
    let config: ConfigReader
    let problems: ProblemCollector
    let environment: [String: String]

    /// Reads `file` (YAML, optional), the `OTPPOOL_`-prefixed `environment`, and `overrides` (`section.key` →
    /// value as text, from flags and `--set`), highest priority last in that list.
    ///
    /// - Throws: ``SettingsError`` when the file cannot be read or is not YAML.
    public static func load(
        file: String?, environment: [String: String] = ProcessInfo.processInfo.environment, overrides: [String: String] = [:]
    ) async throws -> SettingsReader {
        let problems = ProblemCollector()
        // Flags and `--set` go through the environment provider's parsing, so "0.5" reads as a number there too.
        let flagValues = Dictionary(overrides.map { (Self.environmentName(of: $0.key, prefix: ""), $0.value) }, uniquingKeysWith: { $1 })
        let prefixed = environment.filter { $0.key.hasPrefix("OTPPOOL_") }
        var providers: [any ConfigProvider] = [
            EnvironmentVariablesProvider(environmentVariables: flagValues),
            EnvironmentVariablesProvider(environmentVariables: prefixed, secretsSpecifier: .dynamic { key, _ in Self.isSecret(key) })
                .prefixKeys(with: "otppool"),
        ]
        if let file {
            do {
                // The provider's own key for its path (no FilePath type to import).
                let location = ConfigReader(provider: InMemoryProvider(values: ["filePath": ConfigValue(.string(file), isSecret: false)]))
                providers.append(try await FileProvider<YAMLSnapshot>(config: location))
            } catch {
                throw SettingsError(problems: ["--config \(file): \(error); pass a readable YAML file like config/otppool.yaml"])
            }
        }
        return SettingsReader(config: ConfigReader(providers: providers, accessReporter: problems), problems: problems, environment: environment)
    }

    /// `worker.poll_interval_seconds` → `OTPPOOL_WORKER_POLL_INTERVAL_SECONDS`.
    public static func environmentName(of key: String, prefix: String = "OTPPOOL_") -> String {
        prefix + key.replacingOccurrences(of: ".", with: "_").uppercased()
    }

    static func isSecret(_ key: String) -> Bool {
        let lower = key.lowercased()
        return lower.contains("password") || lower.contains("api_key") || lower.contains("token") || lower.hasSuffix("url") && lower.contains("postgres")
    }

    /// Throws every problem found so far.
    ///
    /// - Throws: ``SettingsError``.
    public func check() throws(SettingsError) {
        let all = problems.all
        if !all.isEmpty { throw SettingsError(problems: all) }
    }

    // MARK: Typed reads

    func string(_ key: String, default value: String) -> String {
        config.string(forKey: ConfigKey(key), default: value)
    }

    func string(_ key: String) -> String? {
        config.string(forKey: ConfigKey(key)).flatMap { $0.isEmpty ? nil : $0 }
    }

    func strings(_ key: String) -> [String] {
        config.stringArray(forKey: ConfigKey(key), default: [])
    }

    func bool(_ key: String, default value: Bool) -> Bool {
        config.bool(forKey: ConfigKey(key), default: value)
    }

    /// An integer within `range`; outside it, a problem and the default.
    func int(_ key: String, default value: Int, in range: ClosedRange<Int>) -> Int {
        let read = config.int(forKey: ConfigKey(key), default: value)
        guard range.contains(read) else {
            problems.add("\(key) is \(read); use a whole number from \(range.lowerBound) to \(range.upperBound)")
            return value
        }
        return read
    }

    /// A number of seconds (`worker.poll_interval_seconds`), above zero unless `allowZero`.
    func seconds(_ key: String, default value: Duration, allowZero: Bool = false) -> Duration {
        let fallback = Double(value.components.seconds) + Double(value.components.attoseconds) / 1e18
        let read = config.double(forKey: ConfigKey(key), default: fallback)
        guard read.isFinite, read > 0 || (allowZero && read == 0), read <= 86_400 * 30 else {
            problems.add("\(key) is \(read); use a number of seconds \(allowZero ? "of 0 or more" : "above 0") (at most 30 days)")
            return value
        }
        return .milliseconds(Int64((read * 1_000).rounded()))
    }

    /// One of `allowed`.
    func choice(_ key: String, default value: String, allowed: [String]) -> String {
        let read = config.string(forKey: ConfigKey(key), default: value)
        guard allowed.contains(read) else {
            problems.add("\(key) is \"\(read)\"; use one of \(allowed.joined(separator: ", "))")
            return value
        }
        return read
    }

    /// A secret: `key` itself, or the contents of the file `key_file` names (trailing newline dropped).
    /// Never logged: reads are marked secret.
    func secret(_ key: String) -> String? {
        if let value = config.string(forKey: ConfigKey(key), isSecret: true), !value.isEmpty { return value }
        guard let path = string("\(key)_file") else { return nil }
        do {
            return try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            problems.add("\(key)_file: cannot read \(path) (\(error)); point it at a readable file holding the secret")
            return nil
        }
    }

    /// Records a problem found while interpreting values.
    func problem(_ text: String) {
        problems.add(text)
    }
}
