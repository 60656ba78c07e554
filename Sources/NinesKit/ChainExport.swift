import Foundation
public import NinesMarkov

/// Chains written in Storm's explicit format (`nines analyze --export-chain DIR`), for Storm
/// (`stormpy.build_model_from_explicit(tra, lab)`) or any tool that reads it:
///
/// - `NAME.tra`: `ctmc`, then one `from to rate` line per transition (rates per hour, written
///   so that they read back to the same double);
/// - `NAME.lab`: `#DECLARATION`, the labels (`init`, `down`, …), `#END`, then each labelled
///   state with its labels;
/// - `index.json`: each chain's files, size, the method and residual of Nines' solve, and the
///   long-run probability Nines found for each label.
public enum ChainExport {
    /// One chain's files and figures, as `index.json` lists them.
    public struct Entry: Codable, Sendable {
        public struct Label: Codable, Sendable {
            public var name: String
            public var states: Int
            public var probability: Double
        }
        public var name: String
        public var transitionsFile: String
        public var labelsFile: String
        public var states: Int
        public var transitions: Int
        public var method: String
        public var residual: Double
        public var seconds: Double
        public var labels: [Label]

        enum CodingKeys: String, CodingKey {
            case name, states, transitions, method, residual, seconds, labels
            case transitionsFile = "transitions_file", labelsFile = "labels_file"
        }
    }

    public struct Index: Codable, Sendable {
        public var format = "storm-explicit"
        public var model: String
        public var chains: [Entry]
    }

    /// Why an export failed: the system's own reason where the error carries one.
    public static func reason(_ error: any Error) -> String {
        if let error = error as? Refusal { return error.description }
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError { return underlying.localizedDescription }
        return ns.localizedFailureReason ?? ns.localizedDescription
    }

    /// A folder that is neither empty nor a previous export.
    public struct Refusal: Error, CustomStringConvertible {
        public var description: String
    }

    /// Writes every chain into `directory` (created if needed) with `index.json`; returns the
    /// index. A chain without transitions (a component that never fails) has nothing to
    /// solve and is left out. A folder holding a previous export (its `index.json`) has that
    /// export's files removed first, so that no chain of another model is left beside the
    /// new index; a folder that holds anything else is refused.
    @discardableResult
    public static func write(_ chains: [ExportedChain], model: String, to directory: URL) throws -> Index {
        let manager = FileManager.default
        let existing = (try? manager.contentsOfDirectory(atPath: directory.path)) ?? []
        if !existing.isEmpty {
            let indexURL = directory.appendingPathComponent("index.json")
            guard let data = try? Data(contentsOf: indexURL), let previous = try? JSONDecoder().decode(Index.self, from: data) else {
                throw Refusal(description: "\(directory.path) is not empty and holds no previous export (index.json); give an empty or new folder")
            }
            let listed = Set(previous.chains.flatMap { [$0.transitionsFile, $0.labelsFile] } + ["index.json"])
            for name in existing where listed.contains(name) { try manager.removeItem(at: directory.appendingPathComponent(name)) }
        }
        try manager.createDirectory(at: directory, withIntermediateDirectories: true)
        var used: [String: Int] = [:]
        var entries: [Entry] = []
        for chain in chains where chain.rates.transitionCount > 0 {
            var stem = fileStem(chain.report.name)
            used[stem, default: 0] += 1
            if let count = used[stem], count > 1 { stem += "-\(count)" }
            try write(chain, stem: stem, in: directory)
            entries.append(Entry(name: chain.report.name, transitionsFile: stem + ".tra", labelsFile: stem + ".lab",
                                 states: chain.rates.stateCount, transitions: chain.rates.transitionCount,
                                 method: chain.report.method, residual: chain.report.residual, seconds: chain.report.seconds,
                                 labels: chain.labels.map { Entry.Label(name: $0.name, states: $0.states.count, probability: $0.probability) }))
        }
        let index = Index(model: model, chains: entries)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(index).write(to: directory.appendingPathComponent("index.json"))
        return index
    }

    /// `NAME.tra` and `NAME.lab` of one chain.
    public static func write(_ chain: ExportedChain, stem: String, in directory: URL) throws {
        var transitions = "ctmc\n"
        transitions.reserveCapacity(32 * chain.rates.transitionCount + 8)
        for state in 0..<chain.rates.stateCount {
            for (to, rate) in chain.rates.row(state) {
                transitions += "\(state) \(to) \(rate)\n"
            }
        }
        try Data(transitions.utf8).write(to: directory.appendingPathComponent(stem + ".tra"))
        var labelsOf = [[String]](repeating: [], count: chain.rates.stateCount)
        if chain.rates.stateCount > 0 { labelsOf[0].append("init") }
        for label in chain.labels { for state in label.states { labelsOf[state].append(label.name) } }
        var labels = "#DECLARATION\n" + (["init"] + chain.labels.map(\.name)).joined(separator: " ") + "\n#END\n"
        for (state, names) in labelsOf.enumerated() where !names.isEmpty {
            labels += "\(state) " + names.joined(separator: " ") + "\n"
        }
        try Data(labels.utf8).write(to: directory.appendingPathComponent(stem + ".lab"))
    }

    /// `standby cluster db+cache` → `standby-cluster-db+cache`: a file name with no spaces,
    /// slashes or parentheses.
    public static func fileStem(_ name: String) -> String {
        var stem = ""
        for character in name {
            if character.isLetter || character.isNumber || "+-_.".contains(character) { stem.append(character) }
            else if stem.last != "-" { stem.append("-") }
        }
        while stem.hasSuffix("-") { stem.removeLast() }
        return stem.isEmpty ? "chain" : stem
    }
}
