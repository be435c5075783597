import Foundation

/// Writes a file so that a reader sees the old content or the new, never half of it: the text goes to a hidden
/// file beside it, which is then renamed over it. Foundation's own atomic writes on Linux leave an empty
/// `TemporaryDirectory.*` behind in `/tmp` for every file written.
enum AtomicFile {
    static func write(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        try Data(text.utf8).write(to: temporary)
        guard rename(temporary.path, url.path) == 0 else {
            let code = POSIXErrorCode(rawValue: errno) ?? .EIO
            try? FileManager.default.removeItem(at: temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [
                NSFilePathErrorKey: path, NSUnderlyingErrorKey: POSIXError(code),
            ])
        }
    }
}
