import Foundation
import Synchronization

/// The operators signed in to this process: a session ID (the cookie) bound to its own CSRF token, in memory.
///
/// Kept in memory on purpose: the console has no user table, a restart simply signs everyone out, and nothing
/// that grants an action is ever written down. Bounded, so a flood of sign-ins cannot grow it without end.
final class ConsoleSessions: Sendable {
    struct Session: Sendable {
        var csrf: String
        var expires: Date
    }

    /// How long a session lasts. Default: 12 hours (a shift).
    let lifetime: TimeInterval
    /// The most sessions kept; the oldest go first. Default: 256.
    let capacity: Int
    private let sessions = Mutex<[String: Session]>([:])

    init(lifetime: TimeInterval = 12 * 3_600, capacity: Int = 256) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// Starts a session: its ID (for the cookie) and its CSRF token (for the forms).
    func start(now: Date = Date()) -> (id: String, csrf: String) {
        let (id, csrf) = (RandomToken.make(), RandomToken.make())
        sessions.withLock { sessions in
            sessions = sessions.filter { $0.value.expires > now }
            while sessions.count >= capacity, let oldest = sessions.min(by: { $0.value.expires < $1.value.expires }) {
                sessions[oldest.key] = nil
            }
            sessions[id] = Session(csrf: csrf, expires: now.addingTimeInterval(lifetime))
        }
        return (id, csrf)
    }

    /// The CSRF token of a live session, or nil (unknown or expired).
    func csrf(session id: String?, now: Date = Date()) -> String? {
        guard let id else { return nil }
        return sessions.withLock { sessions in
            guard let session = sessions[id], session.expires > now else { return nil }
            return session.csrf
        }
    }

    /// Ends a session (sign out).
    func end(_ id: String?) {
        guard let id else { return }
        _ = sessions.withLock { $0.removeValue(forKey: id) }
    }
}
