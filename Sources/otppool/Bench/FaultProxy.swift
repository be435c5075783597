import Foundation

/// `scripts/tcp-proxy.py` in front of PostgreSQL for the workers only, so the suite can cut or slow their
/// connections (SIGUSR1 cut, SIGUSR2 slow, SIGHUP normal) while its own checks go straight to the database.
final class FaultProxy: Sendable {
    let process: Process
    /// The proxy's port on 127.0.0.1.
    let port: Int

    /// Starts the proxy in front of `target` (`host:port`) and waits for its "listening" line.
    ///
    /// - Throws: ``BenchError`` when the script is missing or does not start within 10 s.
    init(script: String = "scripts/tcp-proxy.py", target: String, delayMilliseconds: Int = 300) throws {
        guard FileManager.default.isExecutableFile(atPath: script) else {
            throw BenchError("\(script) is missing or not executable; run the suite from the repository root")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: script)
        process.arguments = ["--listen", "127.0.0.1:0", "--target", target, "--delay-ms", "\(delayMilliseconds)"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let line = try Self.firstLine(of: output.fileHandleForReading, timeout: 10)
        guard let portText = line.split(separator: " ").first(where: { $0.hasPrefix("127.0.0.1:") })?.split(separator: ":").last,
            let port = Int(portText)
        else {
            process.terminate()
            throw BenchError("tcp-proxy did not say where it listens (got \"\(line)\")")
        }
        self.process = process
        self.port = port
    }

    /// The PostgreSQL URL `url` with its host and port replaced by the proxy's.
    func url(replacingIn url: String) -> String {
        guard var components = URLComponents(string: url) else { return url }
        components.host = "127.0.0.1"
        components.port = port
        return components.string ?? url
    }

    /// `host:port` of a PostgreSQL URL.
    static func target(of url: String) -> String? {
        guard let components = URLComponents(string: url), let host = components.host else { return nil }
        return "\(host):\(components.port ?? 5432)"
    }

    /// Puts the proxy in a fault mode for `duration`, saying so, then back to normal.
    func during(_ duration: Duration, _ what: String, then back: String, _ fault: (FaultProxy) -> Void) async throws {
        E2EBenchCommand.Stage.say(what)
        fault(self)
        try await Task.sleep(for: duration)
        normal()
        E2EBenchCommand.Stage.say(back)
    }

    func cut() { kill(process.processIdentifier, SIGUSR1) }
    func slow() { kill(process.processIdentifier, SIGUSR2) }
    func normal() { kill(process.processIdentifier, SIGHUP) }

    /// Stops the proxy: SIGTERM, then SIGKILL if it is still there after 5 s (never waits forever).
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning, Date() < deadline { usleep(50_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    private static func firstLine(of handle: FileHandle, timeout: TimeInterval) throws -> String {
        var data = Data()
        let deadline = Date().addingTimeInterval(timeout)
        while !data.contains(UInt8(ascii: "\n")) {
            guard Date() < deadline else { throw BenchError("tcp-proxy did not start within \(Int(timeout)) s") }
            let chunk = handle.availableData
            if chunk.isEmpty { throw BenchError("tcp-proxy exited before it listened") }
            data.append(chunk)
        }
        return String(decoding: data.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
    }
}
