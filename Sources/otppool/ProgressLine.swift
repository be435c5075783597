import Foundation

/// A one-line progress bar on standard error; plain lines when standard error is not a terminal.
final class ProgressLine: @unchecked Sendable {
    // @unchecked: used from one task at a time (the command's own loop).
    private let label: String
    private let total: Int
    private var done = 0
    private var lastDrawn = Date.distantPast
    private let isTerminal = isatty(STDERR_FILENO) != 0

    init(label: String, total: Int) {
        self.label = label
        self.total = max(total, 1)
    }

    func advance(by count: Int = 1, note: String = "") {
        done += count
        set(done, note: note)
    }

    func set(_ value: Int, note: String = "") {
        done = value
        let now = Date()
        guard done >= total || now.timeIntervalSince(lastDrawn) >= (isTerminal ? 0.1 : 2) else { return }
        lastDrawn = now
        let fraction = Double(min(done, total)) / Double(total)
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let line = "\(label) [\(bar)] \(done)/\(total) \(note)"
        FileHandle.standardError.write(Data((isTerminal ? "\r\u{1B}[K" + line : line + "\n").utf8))
    }

    func finish() {
        if isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
