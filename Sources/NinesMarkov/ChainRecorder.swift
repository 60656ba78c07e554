import Foundation
public import NinesResults

/// A chain the engine solved, with the sets of states a peer is asked about: what
/// `nines analyze --export-chain DIR` writes and `nines bench --peers` gives Storm.
public struct ExportedChain: Sendable {
    /// A named set of states and the long-run probability the engine found for it.
    public struct Label: Sendable {
        /// A name made of letters, digits and `_` (Storm's labels).
        public var name: String
        public var states: [Int]
        public var probability: Double
    }

    public var report: ChainReport
    /// The chain's transitions; state 0 is the state it was explored from (all up).
    public var rates: RateMatrix
    /// `down` first: the states where what the chain describes does not serve.
    public var labels: [Label]

    /// Labels from predicates on states, summed over `pi` (positive terms, in state order).
    init(report: ChainReport, rates: RateMatrix, pi: [Double], labels: [(String, (Int) -> Bool)]) {
        self.report = report
        self.rates = rates
        var used: [String: Int] = [:]
        self.labels = labels.map { name, holds in
            let states = (0..<rates.stateCount).filter(holds)
            // `db-a` and `db_a` both read `db_a`: a repeat gets `_2`, `_3`.
            var label = Self.labelName(name)
            used[label, default: 0] += 1
            if let count = used[label], count > 1 { label += "_\(count)" }
            return Label(name: label, states: states,
                         probability: Probability.clamped(states.reduce(0.0) { $0 + pi[$1] }))
        }
    }

    /// `db-east out` → `db_east_out`: Storm's labels are identifiers.
    static func labelName(_ text: String) -> String {
        let name = String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
        return name.first?.isLetter == true ? name : "l_" + name
    }
}

/// The chains an analysis solves, kept while a recorder is installed for the task
/// (``ChainRecorder/current``); otherwise nothing is kept and nothing is computed for export.
public final class ChainRecorder: @unchecked Sendable {
    @TaskLocal public static var current: ChainRecorder?

    private let lock = NSLock()
    private var recorded: [ExportedChain] = []

    public init() {}

    /// The chains recorded, in the order they were solved.
    public var chains: [ExportedChain] { lock.withLock { recorded } }

    /// Records a solved chain when a recorder listens; `chain` is built only then.
    static func record(_ chain: @autoclosure () -> ExportedChain) {
        guard let recorder = current else { return }
        let built = chain()
        recorder.lock.withLock { recorder.recorded.append(built) }
    }
}

extension ActiveBlock {
    /// The component's own replica process: `down` below `need` replicas up, `degraded`
    /// below `full` (domains and causes are other blocks).
    var exported: ExportedChain {
        let up = upCounts.map { $0.reduce(0, +) }
        return ExportedChain(report: report, rates: rates, pi: pi,
                             labels: [("down", { up[$0] < need }), ("degraded", { up[$0] >= need && up[$0] < full })])
    }
}

extension StandbyCluster {
    /// `down`: some member does not serve; then each member's `NAME_out` (probabilities
    /// from `pi`, the cluster's own by default).
    func exported(names: [String], pi: [Double]? = nil) -> ExportedChain {
        let serving = (0..<states.count).map { state in
            members.indices.map { serves(member: $0, signature: signatureOfState[state]) }
        }
        var labels: [(String, (Int) -> Bool)] = [("down", { serving[$0].contains(false) })]
        for (m, name) in names.enumerated() { labels.append(("\(name)_out", { !serving[$0][m] })) }
        return ExportedChain(report: report, rates: rates, pi: pi ?? self.pi, labels: labels)
    }
}

extension Analysis.JointChain {
    /// The service's status: `down`, and `degraded` (up below full capacity).
    func exported(report: ChainReport, rates: RateMatrix, pi: [Double]) -> ExportedChain {
        ExportedChain(report: report, rates: rates, pi: pi,
                      labels: [("down", { status[$0] < 2 }), ("degraded", { status[$0] == 3 })])
    }
}
