import Foundation
import Pool

/// CPU time of processes on this machine, from `/proc/<pid>/stat`.
enum ProcessCPU {
    /// A process's parent and CPU seconds: its own (user + system) and its reaped children's.
    struct Stat {
        var parent: Int32
        var own: Double
        var reapedChildren: Double
    }

    /// Clock ticks per second, the unit of `/proc`'s CPU times.
    static let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

    static func stat(_ pid: Int32) -> Stat? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = text.lastIndex(of: ")") else {
            return nil
        }
        // Fields after the command name, from field 3 (state): ppid is field 4; utime, stime, cutime, cstime are 14–17.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 14, let parent = Int32(fields[1]) else { return nil }
        let values = fields[11...14].map { (Double($0) ?? 0) / ticksPerSecond }
        return Stat(parent: parent, own: values[0] + values[1], reapedChildren: values[2] + values[3])
    }

    /// CPU seconds of `pid` and all its children, living or reaped (one level: PostgreSQL's backends are the
    /// postmaster's children).
    static func withChildren(_ pid: Int32) -> Double? {
        guard let root = stat(pid) else { return nil }
        let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc"))?.compactMap(Int32.init) ?? []
        let living = pids.compactMap(stat).filter { $0.parent == pid }.reduce(0) { $0 + $1.own }
        return root.own + root.reapedChildren + living
    }
}

/// The whole machine's CPU, from the first line of `/proc/stat`: every process's, the benchmark's own, the
/// simulator's and the broker's included. With the machine's cores all busy (no idle), throughput is the cores
/// divided by it, so it tells two runs apart better than their throughput does when the machine's speed moves.
struct MachineCPU {
    /// CPU seconds spent busy (user, nice, system, irq, softirq, steal) and idle (idle, iowait) so far, summed over
    /// every core.
    var busy: Double
    var idle: Double

    static func now() -> MachineCPU? {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
            let line = text.split(separator: "\n").first, line.hasPrefix("cpu ")
        else { return nil }
        let values = line.split(separator: " ").dropFirst().compactMap { Double($0) }.map { $0 / ProcessCPU.ticksPerSecond }
        guard values.count >= 8 else { return nil }
        return MachineCPU(busy: values[0] + values[1] + values[2] + values[5] + values[6] + values[7], idle: values[3] + values[4])
    }

    /// What was spent from `start` to `self`: busy seconds and the idle share of all.
    func since(_ start: MachineCPU) -> (busy: Double, idleShare: Double) {
        let busy = self.busy - start.busy
        let idle = self.idle - start.idle
        return (busy, busy + idle > 0 ? idle / (busy + idle) : 0)
    }
}

/// The CPU PostgreSQL spends during a benchmark, when its server runs on this machine and says where its data
/// directory is (a superuser or `pg_read_all_settings`): the postmaster's, every backend's and every helper's.
struct PostgresCPU {
    let postmaster: Int32

    /// Finds the postmaster through `data_directory`/postmaster.pid; nil for a server elsewhere or hidden.
    static func locate(_ store: ActivationStore) async -> PostgresCPU? {
        guard let directory = try? await store.pool.withConnection({ connection in
            try await connection.query("SELECT current_setting('data_directory')")[0].decode(at: 0, as: String.self)
        }), let pidFile = try? String(contentsOfFile: directory + "/postmaster.pid", encoding: .utf8),
            let first = pidFile.split(separator: "\n").first, let pid = Int32(first), ProcessCPU.stat(pid) != nil
        else { return nil }
        return PostgresCPU(postmaster: pid)
    }

    /// CPU seconds so far.
    var seconds: Double? { ProcessCPU.withChildren(postmaster) }
}
