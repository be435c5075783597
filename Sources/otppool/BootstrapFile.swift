import Foundation

/// The file through which a standalone broker tells other processes where it listens.
enum BootstrapFile {
    /// Writes atomically, so a reader never sees half an address.
    static func write(_ bootstrap: String, to path: String) throws {
        try AtomicFile.write(bootstrap + "\n", to: path)
    }
}
