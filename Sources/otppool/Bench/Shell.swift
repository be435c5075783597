import Dispatch
import Foundation

/// Runs a shell command to its end: posix_spawn and a blocking waitpid on a dispatch thread. Foundation's
/// `Process` is avoided here: a short-lived child that forks a daemon (`pg_ctl restart`) was left a zombie,
/// unreaped, and `isRunning` never turned false.
enum Shell {
    /// The exit status of `/bin/sh -c command` (output discarded), or -1 when it could not start.
    static func run(_ command: String) async -> Int32 {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var pid: pid_t = 0
                let arguments = ["/bin/sh", "-c", command + " >/dev/null 2>&1"]
                var argv = arguments.map { strdup($0) } + [nil]
                defer { argv.forEach { free($0) } }
                guard posix_spawn(&pid, "/bin/sh", nil, nil, &argv, environ) == 0 else { return continuation.resume(returning: -1) }
                var status: Int32 = 0
                while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
                // WIFEXITED / WEXITSTATUS, spelled out (the C macros are not imported).
                continuation.resume(returning: status & 0x7f == 0 ? (status >> 8) & 0xff : -1)
            }
        }
    }
}
