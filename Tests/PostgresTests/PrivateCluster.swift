import Foundation
import TestSupport

@testable import Postgres

/// A throwaway cluster from `scripts/pg.sh` on its own port and directory, so restarting it cannot disturb
/// tests using the shared one.
struct PrivateCluster {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName("otppool-pg", separator: "_")).path
    let port = Int.random(in: 55_000..<56_000)
    let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/pg.sh").path

    func start() async throws -> String {
        // stderr is merged into the output; the URL is the last line starting with postgresql://.
        try await run("start").split(separator: "\n").last { $0.hasPrefix("postgresql://") }.map(String.init) ?? ""
    }

    func restart() async throws {
        _ = try await run("restart")
    }

    func stop() async {
        _ = try? await run("stop")
        unlink("\(ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp")/otppool-pg-\(port).lock")
    }

    /// Runs the script on a Dispatch thread: waiting for a process must not block the cooperative pool.
    private func run(_ command: String) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try runBlocking(command) })
            }
        }
    }

    /// Spawns `bash scripts/pg.sh <command>` and waits with `waitpid`. (Foundation's `Process` is avoided:
    /// on Linux its `waitUntilExit` needs a run loop that test threads don't run.)
    private func runBlocking(_ command: String) throws -> String {
        let output = directory + ".\(command).out"
        defer { unlink(output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let arguments = ["/bin/bash", script, command]
        var environment = ProcessInfo.processInfo.environment
        environment["OTP_PG_DIR"] = directory
        environment["OTP_PG_PORT"] = String(port)
        let cArguments = arguments.map { strdup($0) } + [nil]
        let cEnvironment = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (cArguments + cEnvironment).forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, "/bin/bash", &actions, nil, cArguments, cEnvironment)
        guard spawned == 0 else { throw failure(command, "could not start bash (errno \(spawned))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        // Exited normally with status 0: the low 16 bits are all zero.
        guard status & 0xFFFF == 0 else { throw failure(command, String(text.suffix(2000))) }
        return text
    }

    private func failure(_ command: String, _ detail: String) -> PostgresError {
        PostgresError(code: .connectionFailed, message: "scripts/pg.sh \(command) failed: \(detail)")
    }
}
