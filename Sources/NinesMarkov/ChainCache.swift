import Foundation

/// Standby clusters solved in this process, by content (``StandbyCluster/Key``): `report`,
/// `spof`, `whatif`, `sensitivity` and `sweep` analyse many variants of one model, most of
/// which leave a given cluster exactly as it was — it is then taken as solved, never built or
/// solved again. Bounded: past ``stateBudget`` states held, the oldest entries go.
final class ChainCache: @unchecked Sendable {
    static let shared = ChainCache()

    /// The most states the cached clusters may hold together.
    static let stateBudget = 4_000_000
    /// The most clusters held: a sweep whose every variant changes a cluster would otherwise
    /// fill the state budget with small ones no later variant reads (1,250 variants of a
    /// 354-state cluster held 98 MB more than 125 did; with this bound, 11 MB more).
    static let entryBudget = 256

    private let lock = NSLock()
    private var clusters: [StandbyCluster.Key: StandbyCluster] = [:]
    private var order: [StandbyCluster.Key] = []
    private var states = 0
    private(set) var hits = 0
    private(set) var misses = 0

    func cluster(_ key: StandbyCluster.Key, build: () throws(ChainError) -> StandbyCluster) throws(ChainError) -> StandbyCluster {
        lock.lock()
        if let cached = clusters[key] {
            hits += 1
            lock.unlock()
            return cached
        }
        misses += 1
        lock.unlock()
        let cluster = try build()
        lock.lock()
        defer { lock.unlock() }
        if clusters[key] == nil, cluster.states.count <= Self.stateBudget {
            clusters[key] = cluster
            order.append(key)
            states += cluster.states.count
            while (states > Self.stateBudget || order.count > Self.entryBudget), !order.isEmpty {
                let oldest = order.removeFirst()
                states -= clusters.removeValue(forKey: oldest)?.states.count ?? 0
            }
        }
        return cluster
    }

    var statistics: (hits: Int, misses: Int) {
        lock.lock()
        defer { lock.unlock() }
        return (hits, misses)
    }
}
