import Foundation
import Synchronization

/// The checks behind `/readyz`, run in the background every few seconds so a probe never waits on a broker
/// or a database: the process is ready only when every check passed last time.
public final class Readiness: Sendable {
    /// One named check: nil when it passes, else why not.
    public struct Check: Sendable {
        public var name: String
        public var run: @Sendable () async -> String?

        public init(_ name: String, _ run: @escaping @Sendable () async -> String?) {
            self.name = name
            self.run = run
        }
    }

    private let checks: [Check]
    private let results = Mutex<[String: String?]>([:])

    public init(_ checks: [Check]) {
        self.checks = checks
    }

    /// Runs every check once (each bounded by `timeout`) and keeps the results.
    public func refresh(timeout: Duration = .seconds(3)) async {
        var latest: [String: String?] = [:]
        for check in checks {
            latest[check.name] = await Self.bounded(check, timeout: timeout)
        }
        results.withLock { $0 = latest }
    }

    /// Whether every check passed, and each check's state (`ok` or the reason), for the response body.
    public var state: (ready: Bool, checks: [String: String]) {
        let current = results.withLock { $0 }
        let checks = Dictionary(uniqueKeysWithValues: self.checks.map { check in
            (check.name, current[check.name].map { $0 ?? "ok" } ?? "not checked yet")
        })
        return (!checks.isEmpty && checks.values.allSatisfy { $0 == "ok" } || self.checks.isEmpty, checks)
    }

    private static func bounded(_ check: Check, timeout: Duration) async -> String? {
        await withTaskGroup(of: String??.self) { group in
            group.addTask { await check.run() }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return .some("no answer within \(timeout)")
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? nil
        }
    }
}
