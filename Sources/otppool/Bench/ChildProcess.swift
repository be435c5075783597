import Foundation

/// A child process of a benchmark: started with its output in a log file, measured from `/proc` while it
/// runs (peak RSS, CPU time), stopped with SIGTERM (or killed).
final class ChildProcess: @unchecked Sendable {
    // @unchecked: `Process` is not Sendable; it is only touched to start it, send signals and read its pid,
    // which Foundation allows from any thread.
    let name: String
    private let process: Process
    let log: URL

    /// Starts `executable` with `arguments`, the current environment plus `environment`.
    ///
    /// - Throws: when the executable cannot be started.
    /// - Parameter append: add to an existing log (a restarted process) instead of starting it afresh.
    init(
        name: String, executable: String, arguments: [String], environment: [String: String] = [:], logDirectory: URL,
        append: Bool = false
    ) throws {
        self.name = name
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        log = logDirectory.appendingPathComponent("\(name).log")
        if !append || !FileManager.default.fileExists(atPath: log.path) {
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: log)
        _ = try handle.seekToEnd()
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }
    /// Whether the process runs; a zombie Foundation has not reaped yet counts as exited.
    var isRunning: Bool { process.isRunning && !isZombie }

    private var isZombie: Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else {
            return true
        }
        return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }

    /// Sends SIGTERM (graceful shutdown) or SIGKILL.
    func signal(_ signal: Int32) {
        if process.isRunning { kill(process.processIdentifier, signal) }
    }

    /// Waits for the process to exit (polling; at most `timeout`), then returns its exit status, or nil.
    func waitForExit(timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        if isRunning { return nil }
        return process.isRunning ? -1 : process.terminationStatus
    }

    /// Peak resident set size so far (`VmHWM`), in MiB.
    var peakRSSMegabytes: Double? { statusKilobytes("VmHWM").map { $0 / 1024 } }

    /// Resident set size now (`VmRSS`), in MiB.
    var rssMegabytes: Double? { statusKilobytes("VmRSS").map { $0 / 1024 } }

    /// A `kB` field of `/proc/<pid>/status`.
    private func statusKilobytes(_ field: String) -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") })
        else { return nil }
        return Double(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
    }

    /// User + system CPU seconds so far.
    var cpuSeconds: Double? { ProcessCPU.stat(pid)?.own }

    /// The absolute path of the running executable (for spawning siblings of this process).
    static var ownExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}
