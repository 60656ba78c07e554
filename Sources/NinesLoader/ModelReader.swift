internal import Yams
import Foundation
import NinesModel

/// Walks the composed YAML tree of a model file and builds a ``Model``, reporting every
/// problem at the key or value at fault and going on to check the rest.
struct ModelReader {
    private var reading: NodeReading
    var diagnostics: [Diagnostic] { reading.diagnostics }

    init(masked: Set<SourceLocation> = []) {
        reading = NodeReading(masked: masked)
    }

    /// A reference to a name, kept with where it was written, for checking once every name is known.
    struct Reference {
        var name: String
        var location: SourceLocation?
        var path: String
    }

    private var componentRefs: [(from: String, ref: Reference)] = []
    private var placementRefs: [Reference] = []
    /// `replication.traffic` of the component being read, and whether it was given at all.
    private var replicationTraffic: Double?
    private var replicationTrafficGiven = false
    private var withinRefs: [(from: String, ref: Reference)] = []
    /// Inputs given as ranges, in file order.
    private var uncertainties: [Uncertainty] = []

    // MARK: - Top level

    mutating func readModel(_ root: Node) -> Model? {
        guard let entries = reading.entries(
            root, path: "", expected: "a mapping with the model's keys (nines, name, entry, components, …)") else { return nil }
        reading.checkKeys(entries, allowed: ModelKeys.topLevel, path: "", what: "the top level")
        let byKey = Self.index(entries)
        let top = root.location
        // A required key that is only misspelt is reported once, as the unknown key with its hint.
        let misspelt = Set(entries.filter { !ModelKeys.topLevel.contains($0.key) }
            .compactMap { Suggestion.closest(to: $0.key, among: ModelKeys.topLevel) })
        func missing(_ key: String, _ message: String, hint: String) {
            if !misspelt.contains(key) { reading.error(top, "", message, hint: hint) }
        }

        var version = 1
        if let entry = byKey["nines"] {
            if let value = reading.integer(entry.value, path: "nines", minimum: 0).value {
                if value != 1 {
                    reading.error(entry.value.location, "nines", "unsupported format version \(value)",
                                  hint: "this version of nines reads format version 1")
                }
                version = value
            }
        } else {
            missing("nines", "missing key 'nines' (the format version)", hint: "add `nines: 1` at the top")
        }

        var name = ""
        if let entry = byKey["name"] {
            name = reading.string(entry.value, path: "name", expected: "a title").value ?? ""
        } else {
            missing("name", "missing key 'name'", hint: "add a title for reports, such as `name: Checkout service`")
        }

        var description: String?
        if let entry = byKey["description"] {
            description = reading.string(entry.value, path: "description").value
        }

        let domains = byKey["domains"].map { readDomains($0.value) } ?? []

        var components: [Component] = []
        if let entry = byKey["components"] {
            components = readComponents(entry.value)
        } else {
            missing("components", "missing key 'components'", hint: "a model needs at least one component")
        }

        var entryID = ComponentID("")
        var entryRef: Reference?
        if let entry = byKey["entry"] {
            if let text = reading.string(entry.value, path: "entry", expected: "the name of a component").value {
                entryID = ComponentID(text)
                entryRef = Reference(name: text, location: entry.value.location, path: "entry")
            }
        } else {
            missing("entry", "missing key 'entry'",
                    hint: "name the component whose state is the service's state, such as `entry: \(components.first?.id.name ?? "api")`")
        }

        let business = byKey["business"].map { readBusiness($0.value) } ?? Business()

        let componentsRead: Bool
        if case .mapping = byKey["components"]?.value { componentsRead = true } else { componentsRead = false }
        checkReferences(components: components, domains: domains, entry: entryRef, componentsGiven: componentsRead)

        var model = Model(formatVersion: version, name: name, description: description, entry: entryID,
                          domains: domains, components: components, business: business)
        model.uncertainties = uncertainties
        return model
    }

    // MARK: - Ranges

    /// Whether a node is a range `{low, high, …}` rather than a value.
    static func isRange(_ node: Node) -> Bool {
        guard let keys = mappingKeys(node) else { return false }
        return keys.contains("low") || keys.contains("high")
    }

    enum RangeKind {
        case duration, annualRate, coverage
    }

    /// A range `{low, high, distribution: uniform | loguniform | triangular, mode}`: records it
    /// for `parameter` and returns its nominal value (hours for a duration), or nil when invalid.
    mutating func readRange(_ node: Node, path: String, kind: RangeKind, parameter: Parameter?) -> Double? {
        guard let fields = reading.entries(node, path: path, expected: "a range such as {low: 1000h, high: 5000h}") else { return nil }
        reading.checkKeys(fields, allowed: ModelKeys.range, path: path, what: "a range")
        let byKey = Self.index(fields)
        guard let parameter else {
            reading.error(node.location, path, "a range is not supported here", hint: "give the domain's mtbf as a range instead")
            return nil
        }
        func value(_ key: String) -> Double? {
            guard let entry = byKey[key] else { return nil }
            switch kind {
            case .duration: return reading.duration(entry.value, path: "\(path).\(key)").value?.hours
            case .annualRate, .coverage: return reading.fraction(entry.value, path: "\(path).\(key)").value?.value
            }
        }
        var law = Uncertainty.Law.uniform
        var invalid = false
        if let entry = byKey["distribution"] {
            let names = Uncertainty.Law.allCases.map(\.rawValue)
            if let text = reading.string(entry.value, path: "\(path).distribution").value {
                if let known = Uncertainty.Law(rawValue: text) { law = known } else {
                    reading.error(entry.value.location, "\(path).distribution", "unknown range distribution '\(text)'",
                                  hint: Suggestion.closest(to: text, among: names).map { "did you mean '\($0)'?" } ?? "one of \(names.joined(separator: ", "))")
                    invalid = true
                }
            } else { invalid = true }
        }
        for key in ["low", "high"] where byKey[key] == nil {
            reading.error(node.location, path, "a range needs '\(key)'", hint: "write {low: …, high: …}")
            invalid = true
        }
        guard let low = value("low"), let high = value("high"), !invalid else { return nil }
        guard low < high else {
            let unit = kind == .duration ? " h" : ""
            reading.error(node.location, path, "a range's low must be below its high",
                          hint: "low is \(String(format: "%g", low))\(unit), high \(String(format: "%g", high))\(unit)")
            return nil
        }
        switch kind {
        case .duration: break
        case .annualRate:
            if low <= 0 || high >= 1 {
                reading.error(node.location, path, "an annual failure rate range must lie above 0 and below 100%")
                return nil
            }
        case .coverage:
            if low < 0 || high > 1 {
                reading.error(node.location, path, "a coverage range must lie within 0 and 1")
                return nil
            }
        }
        if law == .loguniform, low <= 0 {
            reading.error(node.location, path, "a log-uniform range needs low above 0")
            return nil
        }
        var mode: Double?
        if let entry = byKey["mode"] {
            if law != .triangular {
                reading.error(entry.keyNode.location, path, "'mode' applies only to `distribution: triangular`")
                return nil
            }
            guard let peak = value("mode") else { return nil }
            guard peak >= low, peak <= high else {
                reading.error(entry.value.location, "\(path).mode", "the mode must lie between low and high")
                return nil
            }
            mode = peak
        } else if law == .triangular {
            reading.error(node.location, path, "a triangular range needs 'mode', its most likely value")
            return nil
        }
        let uncertainty = Uncertainty(parameter: parameter, law: law, low: low, high: high, mode: mode, location: node.location)
        uncertainties.append(uncertainty)
        return uncertainty.nominal
    }

    /// Every key of every mapping of the format.
    static let knownKeys: Set<String> = Set(ModelKeys.component + ModelKeys.domain + ModelKeys.mode)

    /// The keys of a mapping node, or `nil` for another node.
    static func mappingKeys(_ node: Node) -> [String]? {
        guard case .mapping(let mapping) = node else { return nil }
        return mapping.keys.compactMap(\.string)
    }

    static func index(_ entries: [Entry]) -> [String: Entry] {
        Dictionary(entries.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
    }

    // MARK: - Domains

    mutating func readDomains(_ node: Node) -> [Domain] {
        guard let entries = reading.entries(node, path: "domains", expected: "a mapping of domain names to {mtbf, mttr, within}") else { return [] }
        var domains: [Domain] = []
        for entry in entries {
            if reading.isSaturated { break }
            let path = "domains.\(entry.key)"
            var domain = Domain(id: DomainID(entry.key), location: entry.keyNode.location)
            if entry.value.isNullScalar {
                domains.append(domain)
                continue
            }
            guard let fields = reading.entries(entry.value, path: path, expected: "a mapping such as {mtbf: 1y, mttr: 2h, within: region}") else { continue }
            reading.checkKeys(fields, allowed: ModelKeys.domain, path: path, what: "a domain")
            let byKey = Self.index(fields)
            let id = domain.id
            let laws = readLaws(byKey, path: path, at: entry.value.location, what: "domain") { key in
                key == "mtbf" ? .domainFailureMean(id) : key == "mttr" ? .domainRepairMean(id) : nil
            }
            domain.failure = laws.failure
            domain.repair = laws.repair
            if let transfer = byKey["transfer"] {
                domain.transferPerGB = reading.quantity(transfer.value, path: "\(path).transfer", expected: "money per amount of data such as 0.01/GB",
                                                        QuantityParser.moneyPerGigabyte).value
            }
            if let within = byKey["within"] {
                if let name = reading.string(within.value, path: "\(path).within", expected: "the name of a domain").value {
                    domain.within = DomainID(name)
                    withinRefs.append((entry.key, Reference(name: name, location: within.value.location, path: "\(path).within")))
                }
            }
            domains.append(domain)
        }
        return domains
    }

    // MARK: - Failure and repair

    /// The failure law from `mtbf`, `afr` or `failure`, and the repair law from `mttr` or
    /// `repair`, with the checks that tie them together.
    mutating func readLaws(_ byKey: [String: Entry], path: String, at location: SourceLocation?,
                           what: String, parameter: (String) -> Parameter? = { _ in nil }) -> (failure: Distribution?, repair: Distribution?, invalid: Bool) {
        var invalid = false
        let failureKeys = ["mtbf", "afr", "failure"].compactMap { byKey[$0] }
        let repairKeys = ["mttr", "repair"].compactMap { byKey[$0] }
        for extra in failureKeys.dropFirst() {
            reading.error(extra.keyNode.location, path, "give only one of 'mtbf', 'afr' and 'failure'",
                          hint: "'\(failureKeys[0].key)' is already given")
            invalid = true
        }
        for extra in repairKeys.dropFirst() {
            reading.error(extra.keyNode.location, path, "give only one of 'mttr' and 'repair'",
                          hint: "'\(repairKeys[0].key)' is already given")
            invalid = true
        }
        var failure: Distribution?
        if let entry = failureKeys.first {
            let keyPath = "\(path).\(entry.key)"
            if entry.key != "failure", Self.isRange(entry.value) {
                if let nominal = readRange(entry.value, path: keyPath, kind: entry.key == "afr" ? .annualRate : .duration, parameter: parameter(entry.key)) {
                    let hours = entry.key == "afr" ? TimeUnit.year.hours / -Foundation.log1p(-nominal) : nominal
                    failure = .exponential(mean: TimeSpan(hours: hours))
                } else {
                    invalid = true
                }
            } else if case .mapping = entry.value, entry.key != "failure" {
                reading.error(entry.value.location, keyPath, "expected \(entry.key == "afr" ? "a fraction such as 2%" : "a duration such as 2000h"), got a mapping",
                              hint: "give a distribution as `failure: {distribution: weibull, mean: 2000h, shape: 1.5}`")
                invalid = true
            } else {
            switch entry.key {
            case "mtbf":
                let span = reading.duration(entry.value, path: keyPath)
                if case .value(let mean, _) = span { failure = .exponential(mean: mean) } else { invalid = true }
            case "afr":
                switch reading.fraction(entry.value, path: keyPath) {
                case .value(let afr, _):
                    if afr.value <= 0 || afr.value >= 1 {
                        reading.error(entry.value.location, keyPath, "an annual failure rate must be above 0 and below 100%",
                                      hint: "λ = −ln(1 − afr)/8760 h; for a rate of 1 failure a year or more, give mtbf instead")
                        invalid = true
                    } else {
                        failure = .exponential(mean: TimeSpan(hours: TimeUnit.year.hours / -Foundation.log1p(-afr.value)))
                    }
                default: invalid = true
                }
            default:
                if case .value(let law, _) = reading.law(entry.value, path: keyPath) { failure = law } else { invalid = true }
            }
            }
        }
        var repair: Distribution?
        if let entry = repairKeys.first {
            let keyPath = "\(path).\(entry.key)"
            let law: Field<Distribution>
            if entry.key == "mttr", Self.isRange(entry.value) {
                law = readRange(entry.value, path: keyPath, kind: .duration, parameter: parameter("mttr"))
                    .map { .value(.exponential(mean: TimeSpan(hours: $0)), entry.value.location) } ?? .invalid
            } else if entry.key == "mttr", case .mapping = entry.value {
                reading.error(entry.value.location, keyPath, "expected a duration such as 4h, got a mapping",
                              hint: "give a distribution as `repair: {distribution: lognormal, mean: 4h, sd: 2h}`")
                law = .invalid
            } else {
                law = entry.key == "mttr" ? reading.duration(entry.value, path: keyPath).map { .exponential(mean: $0) }
                                          : reading.law(entry.value, path: keyPath)
            }
            if case .value(let value, _) = law { repair = value } else { invalid = true }
        }
        // A misspelt repair key (`mtrr`) is already reported as unknown with a hint; saying
        // that the repair is missing as well would only repeat it.
        let misspeltRepair = byKey.keys.contains { key in
            !Self.knownKeys.contains(key) && Suggestion.closest(to: key, among: ["mttr", "repair"]) != nil
        }
        if let entry = failureKeys.first, repairKeys.isEmpty, !misspeltRepair {
            reading.error(entry.keyNode.location, path, "'\(entry.key)' is given but no 'mttr': a \(what) that fails must be repaired",
                          hint: "add the mean time to repair or replace it, such as `mttr: 4h`")
            invalid = true
        }
        if let entry = repairKeys.first, failureKeys.isEmpty {
            reading.warning(entry.keyNode.location, path, "'\(entry.key)' is given but no 'mtbf', 'afr' or 'failure': the \(what) never fails, so it is unused")
        }
        return (failure, repair, invalid)
    }

    // MARK: - Components

    mutating func readComponents(_ node: Node) -> [Component] {
        guard let entries = reading.entries(node, path: "components", expected: "a mapping of component names to their settings") else { return [] }
        if entries.isEmpty {
            reading.error(node.location, "components", "no components", hint: "a model needs at least one component")
        }
        var components: [Component] = []
        for entry in entries {
            if reading.isSaturated { break }
            if let component = readComponent(entry) { components.append(component) }
        }
        return components
    }

    mutating func readComponent(_ entry: Entry) -> Component? {
        let id = ComponentID(entry.key)
        let path = "components.\(entry.key)"
        if entry.value.isNullScalar { return Component(id: id, location: entry.keyNode.location) }
        guard let fields = reading.entries(entry.value, path: path, expected: "a mapping of the component's settings") else { return nil }
        reading.checkKeys(fields, allowed: ModelKeys.component, path: path, what: "a component")
        let byKey = Self.index(fields)
        var component = Component(id: id, location: entry.keyNode.location)

        let replicas = byKey["replicas"].map { reading.integer($0.value, path: "\(path).replicas", minimum: 1) } ?? .absent
        let need = byKey["need"].map { reading.integer($0.value, path: "\(path).need", minimum: 1) } ?? .absent
        let full = byKey["full"].map { reading.integer($0.value, path: "\(path).full", minimum: 1) } ?? .absent
        component.replicas = replicas.value ?? 1
        component.need = need.value ?? 1
        component.full = full.value ?? component.need

        if let replicaCount = replicas.isAbsent ? 1 : replicas.value {
            if let value = need.value, value > replicaCount {
                reading.error(need.location, "\(path).need", "\(value) exceeds replicas (\(replicaCount))",
                              hint: replicas.isAbsent ? "replicas defaults to 1; set `replicas: \(value)` or more" : nil)
            }
            if let value = full.value, value > replicaCount {
                reading.error(full.location, "\(path).full", "\(value) exceeds replicas (\(replicaCount))")
            }
        }
        if let fullValue = full.value, let needValue = need.isAbsent ? 1 : need.value, fullValue < needValue {
            reading.error(full.location, "\(path).full", "\(fullValue) is less than need (\(needValue))",
                          hint: "full is the count below which the component is degraded; it is at least need")
        }

        // Redundancy: active or standby.
        var modeName = "active"
        if let entry = byKey["mode"], let text = reading.string(entry.value, path: "\(path).mode", expected: "active or standby").value {
            if text == "active" || text == "standby" {
                modeName = text
            } else {
                reading.error(entry.value.location, "\(path).mode", "unknown mode '\(text)'",
                              hint: Suggestion.didYouMean(text, among: ["active", "standby"]) ?? "mode is active or standby")
            }
        }
        let standbyKind = readStandbyKind(byKey, path: path, isStandby: modeName == "standby")
        let failover = byKey["failover"].flatMap { readFailover($0, path: path, isStandby: modeName == "standby", component: id) }
        if modeName == "standby" {
            component.redundancy = .standby(Standby(kind: standbyKind ?? .hot, failover: failover))
            if let value = need.value, value != 1 {
                reading.error(need.location, "\(path).need", "a standby component needs exactly 1 serving replica, got \(value)",
                              hint: "remove `need`, or use `mode: active` for a k-of-n group")
            }
            if let value = full.value, value != 1 {
                reading.error(full.location, "\(path).full", "a standby component is never degraded, so full does not apply",
                              hint: "remove `full`")
            }
            if component.replicas == 1, replicas.value != nil || replicas.isAbsent {
                reading.warning(entry.keyNode.location, path, "standby mode with a single replica: there is nothing to fail over to")
            }
            component.full = 1
        }

        // Failure data.
        let modeList = byKey["modes"]
        let laws = modeList == nil ? readLaws(byKey, path: path, at: entry.value.location, what: "replica") { key in
                key == "mtbf" ? .failureMean(id, mode: 0) : key == "afr" ? .annualFailureRate(id, mode: 0) : key == "mttr" ? .repairMean(id, mode: 0) : nil
            }
            : (failure: nil, repair: nil, invalid: false)
        if let modeList {
            for key in ["mtbf", "afr", "failure", "mttr", "repair"] {
                if let single = byKey[key] {
                    reading.error(single.keyNode.location, path, "'\(key)' cannot be given together with 'modes'",
                                  hint: "move it into one of the modes")
                }
            }
            component.modes = readModes(modeList.value, path: "\(path).modes", component: id)
        } else if let failure = laws.failure, let repair = laws.repair {
            component.modes = [FailureMode(name: "failure", failure: failure, repair: repair, givenAsAnnualRate: byKey["afr"] != nil)]
        }
        if let entry = byKey["loses_data"] {
            let value = reading.boolean(entry.value, path: "\(path).loses_data").value
            if modeList != nil {
                reading.error(entry.keyNode.location, path, "'loses_data' cannot be given together with 'modes'",
                              hint: "give `loses_data: true` in the modes that destroy a replica's copy")
            } else if value == true, component.modes.isEmpty, !laws.invalid {
                reading.warning(entry.keyNode.location, path, "'loses_data' is given but the component never fails, so it is unused")
            } else if let value, !component.modes.isEmpty {
                component.modes[0].losesData = value
            }
        }
        if let entry = byKey["backup"] {
            component.backup = readBackup(entry.value, path: "\(path).backup")
        }

        if let entry = byKey["repair_crews"] {
            component.repairCrews = reading.integer(entry.value, path: "\(path).repair_crews", minimum: 1).value
        }

        if let entry = byKey["placement"] {
            if case .value(let names, _) = reading.names(entry.value, path: "\(path).placement", what: "domain") {
                component.placement = names.map { DomainID($0.0) }
                for (index, (name, location)) in names.enumerated() {
                    placementRefs.append(Reference(name: name, location: location, path: "\(path).placement[\(index)]"))
                }
                if names.count > component.replicas, replicas.value != nil || replicas.isAbsent {
                    let unused = names[component.replicas...].map { "'\($0.0)'" }.joined(separator: ", ")
                    reading.warning(entry.value.location, "\(path).placement",
                                    "\(names.count) domains for \(component.replicas) replica\(component.replicas == 1 ? "" : "s"): \(unused) hold\(names.count - component.replicas == 1 ? "s" : "") none",
                                    hint: "replica i lives in placement[i mod \(names.count)]")
                }
            }
        }

        if let entry = byKey["depends_on"] {
            component.dependency = readDependency(entry.value, path: "\(path).depends_on", from: entry.key == "depends_on" ? id.name : id.name)
        }

        if let entry = byKey["cost"] {
            component.cost = readCost(entry.value, path: "\(path).cost")
        }

        if let entry = byKey["replication"] {
            replicationTraffic = nil
            replicationTrafficGiven = false
            component.replication = readReplication(entry.value, path: "\(path).replication")
            component.replicationTrafficGBPerMonth = replicationTraffic
            if modeName != "standby", component.replication != nil, !replicationTrafficGiven {
                reading.warning(entry.keyNode.location, "\(path).replication",
                                "an active component has no failovers, so replication loses nothing here",
                                hint: "replication applies to `mode: standby` components")
            }
        }
        if let entry = byKey["cost"], component.cost.standby != nil || component.cost.warm != nil {
            if let standby = component.standby {
                let unused = [("standby", component.cost.standby != nil && standby.kind != .cold, "cold"),
                              ("warm", component.cost.warm != nil && standby.kind.name != "warm", "warm")].filter { $0.1 }
                for (key, _, kind) in unused {
                    reading.warning(entry.value.location, "\(path).cost.\(key)", "the price of a waiting \(kind) standby is unused: this standby is \(standby.kind.name)",
                                    hint: standby.kind == .hot ? "a hot standby runs and costs `monthly`" : nil)
                }
                if byKey["cost"].flatMap({ Self.mappingKeys($0.value) })?.contains("monthly") == false {
                    reading.warning(entry.value.location, "\(path).cost", "no `monthly` price: the serving replica costs nothing",
                                    hint: "add the running price, such as `monthly: 400`")
                }
            } else {
                reading.warning(entry.value.location, "\(path).cost", "an active component has no waiting replicas, so the standby prices are unused",
                                hint: "every replica of an active component costs `monthly`")
            }
        }
        if component.losesData, byKey["backup"] == nil {
            reading.warning(entry.keyNode.location, path,
                            "no backup: when fewer than \(component.need) of \(id.name)'s replicas hold a copy, all its data is lost for good",
                            hint: "add `backup: {every: 24h, restore: 4h}`; the engines count these losses as unrecoverable")
        }
        if let backupEntry = byKey["backup"], component.backup != nil, !component.losesData, !component.isPerfect {
            reading.warning(backupEntry.keyNode.location, "\(path).backup", "no failure mode loses data, so the backup is never restored",
                            hint: "add `loses_data: true` to the failure modes that destroy a replica's copy")
        }
        return component
    }

    mutating func readStandbyKind(_ byKey: [String: Entry], path: String, isStandby: Bool) -> StandbyKind? {
        var kind: StandbyKind?
        var kindName: String?
        if let entry = byKey["standby"] {
            if !isStandby {
                reading.error(entry.keyNode.location, path, "'standby' applies only to a standby component",
                              hint: "add `mode: standby`")
            }
            if let text = reading.string(entry.value, path: "\(path).standby", expected: "hot, warm or cold").value {
                if ["hot", "warm", "cold"].contains(text) {
                    kindName = text
                } else {
                    reading.error(entry.value.location, "\(path).standby", "unknown standby kind '\(text)'",
                                  hint: Suggestion.didYouMean(text, among: ["hot", "warm", "cold"]) ?? "standby is hot, warm or cold")
                }
            }
        }
        var dormancy: Double?
        if let entry = byKey["dormancy"] {
            if kindName == nil, byKey["standby"] == nil {
                reading.error(entry.keyNode.location, path, "'dormancy' applies only to `standby: warm`", hint: "add `standby: warm`")
            } else if let kindName, kindName != "warm" {
                // Explicitly cold or hot: unused, as when a sweep varies the standby kind.
                reading.warning(entry.keyNode.location, path, "'dormancy' applies only to `standby: warm`; a \(kindName) standby ignores it",
                                hint: "remove it, or set `standby: warm`")
            }
            if let value = reading.fraction(entry.value, path: "\(path).dormancy").value {
                if value.value <= 0 || value.value >= 1 {
                    reading.error(entry.value.location, "\(path).dormancy", "dormancy must be strictly between 0 and 1",
                                  hint: "0 is a cold standby, 1 a hot one")
                } else {
                    dormancy = value.value
                }
            }
        }
        switch kindName {
        case "hot": kind = .hot
        case "cold": kind = .cold
        case "warm":
            if let dormancy {
                kind = .warm(dormancy: dormancy)
            } else if byKey["dormancy"] == nil, let entry = byKey["standby"] {
                reading.error(entry.value.location, "\(path).standby", "a warm standby needs 'dormancy'",
                              hint: "add the factor by which a waiting replica's failure rate is reduced, such as `dormancy: 0.1`")
            }
        default: break
        }
        return kind
    }

    mutating func readFailover(_ entry: Entry, path: String, isStandby: Bool, component id: ComponentID) -> Failover? {
        let failoverPath = "\(path).failover"
        if !isStandby {
            reading.error(entry.keyNode.location, path, "'failover' applies only to a standby component",
                          hint: "add `mode: standby`")
        }
        guard let fields = reading.entries(entry.value, path: failoverPath,
                                           expected: "a mapping such as {detect: 30s, switchover: 60s, coverage: 0.99, manual: 30m}") else { return nil }
        reading.checkKeys(fields, allowed: ModelKeys.failover, path: failoverPath, what: "failover")
        let byKey = Self.index(fields)
        var failover = Failover()
        var invalid = false
        for key in ["detect", "switchover", "manual"] {
            guard let field = byKey[key] else { continue }
            let law = reading.law(field.value, path: "\(failoverPath).\(key)", allowZero: true, plainIsFixed: true)
            guard let value = law.value else { invalid = true; continue }
            switch key {
            case "detect": failover.detect = value
            case "switchover": failover.switchover = value
            default: failover.manual = value
            }
        }
        if let field = byKey["coverage"] {
            let coverage = Self.isRange(field.value)
                ? readRange(field.value, path: "\(failoverPath).coverage", kind: .coverage, parameter: .coverage(id)).map(Fraction.init)
                : reading.fraction(field.value, path: "\(failoverPath).coverage").value
            if let value = coverage {
                failover.coverage = value
                if value.value < 1, byKey["manual"] == nil {
                    reading.error(field.value.location, "\(failoverPath).coverage",
                                  "coverage below 1 needs 'manual', the duration of a manual recovery",
                                  hint: "add `manual: 30m` (or the time your team takes to fail over by hand)")
                }
            } else { invalid = true }
        }
        return invalid ? nil : failover
    }

    mutating func readModes(_ node: Node, path: String, component id: ComponentID) -> [FailureMode] {
        guard case .sequence(let sequence) = node else {
            reading.error(node.location, path, "expected a list of failure modes, got \(node.kindDescription)",
                          hint: "write - {name: crash, mtbf: 720h, mttr: 10s}")
            return []
        }
        if sequence.isEmpty { reading.error(node.location, path, "the list of modes is empty") }
        var modes: [FailureMode] = []
        var names: [String: SourceLocation?] = [:]
        for (index, item) in sequence.enumerated() {
            if reading.isSaturated { break }
            let itemPath = "\(path)[\(index)]"
            guard let fields = reading.entries(item, path: itemPath, expected: "a failure mode such as {name: crash, mtbf: 720h, mttr: 10s}") else { continue }
            reading.checkKeys(fields, allowed: ModelKeys.mode, path: itemPath, what: "a failure mode")
            let byKey = Self.index(fields)
            var name = "mode \(index + 1)"
            if let entry = byKey["name"], let text = reading.string(entry.value, path: "\(itemPath).name").value {
                if let previous = names[text] {
                    reading.error(entry.value.location, "\(itemPath).name",
                                  "mode '\(text)' is already defined\(previous.map { " at line \($0.line)" } ?? "")")
                }
                names[text] = entry.value.location
                name = text
            }
            let modeIndex = modes.count
            let laws = readLaws(byKey, path: itemPath, at: item.location, what: "replica") { key in
                key == "mtbf" ? .failureMean(id, mode: modeIndex) : key == "afr" ? .annualFailureRate(id, mode: modeIndex)
                    : key == "mttr" ? .repairMean(id, mode: modeIndex) : nil
            }
            if byKey["mtbf"] == nil, byKey["afr"] == nil, byKey["failure"] == nil {
                reading.error(item.location, itemPath, "a failure mode needs 'mtbf', 'afr' or 'failure'")
            }
            var losesData = false
            if let entry = byKey["loses_data"] {
                losesData = reading.boolean(entry.value, path: "\(itemPath).loses_data").value ?? false
            }
            if let failure = laws.failure, let repair = laws.repair {
                modes.append(FailureMode(name: name, failure: failure, repair: repair, losesData: losesData,
                                         givenAsAnnualRate: byKey["afr"] != nil))
            }
        }
        return modes
    }

    mutating func readDependency(_ node: Node, path: String, from component: String) -> Dependency? {
        func record(_ names: [(String, SourceLocation?)], _ listPath: String) -> [ComponentID] {
            var seen: Set<String> = []
            for (index, (name, location)) in names.enumerated() {
                if !seen.insert(name).inserted {
                    reading.error(location, "\(listPath)[\(index)]", "'\(name)' is listed twice")
                }
                componentRefs.append((component, Reference(name: name, location: location, path: "\(listPath)[\(index)]")))
            }
            return names.map { ComponentID($0.0) }
        }
        let forms = "[a, b] (all needed), {any: [a, b]}, or {at_least: k, of: [a, b, c]}"
        switch node {
        case .sequence, .scalar:
            guard case .value(let names, _) = reading.names(node, path: path, what: "component") else { return nil }
            return .all(record(names, path))
        case .mapping:
            guard let fields = reading.entries(node, path: path, expected: forms) else { return nil }
            let byKey = Self.index(fields)
            if let anyEntry = byKey["any"] {
                reading.checkKeys(fields, allowed: ModelKeys.anyDependency, path: path, what: "{any: [...]}")
                guard case .value(let names, _) = reading.names(anyEntry.value, path: "\(path).any", what: "component") else { return nil }
                return .any(record(names, "\(path).any"))
            }
            if byKey["at_least"] != nil || byKey["of"] != nil {
                reading.checkKeys(fields, allowed: ModelKeys.atLeastDependency, path: path, what: "{at_least: k, of: [...]}")
                guard let ofEntry = byKey["of"] else {
                    reading.error(node.location, path, "missing key 'of': the list of components", hint: "write {at_least: k, of: [a, b, c]}")
                    return nil
                }
                guard let kEntry = byKey["at_least"] else {
                    reading.error(node.location, path, "missing key 'at_least': how many of them are needed", hint: "write {at_least: k, of: [a, b, c]}")
                    return nil
                }
                let k = reading.integer(kEntry.value, path: "\(path).at_least", minimum: 1)
                guard case .value(let names, _) = reading.names(ofEntry.value, path: "\(path).of", what: "component") else { return nil }
                let ids = record(names, "\(path).of")
                guard let count = k.value else { return nil }
                if count > names.count {
                    reading.error(k.location, "\(path).at_least", "\(count) is more than the \(names.count) component\(names.count == 1 ? "" : "s") listed")
                    return nil
                }
                return .atLeast(count, of: ids)
            }
            reading.checkKeys(fields, allowed: ModelKeys.anyDependency + ModelKeys.atLeastDependency, path: path, what: "depends_on")
            if fields.isEmpty { reading.error(node.location, path, "expected \(forms), got an empty mapping") }
            return nil
        case .alias:
            reading.error(node.location, path, "expected \(forms)")
            return nil
        }
    }

    mutating func readCost(_ node: Node, path: String) -> Cost {
        if case .scalar = node {
            return Cost(monthly: reading.quantity(node, path: path, expected: "an amount per month", QuantityParser.money).value ?? 0)
        }
        guard let fields = reading.entries(node, path: path, expected: "a mapping such as {monthly: 400, fixed: 100}") else { return Cost() }
        reading.checkKeys(fields, allowed: ModelKeys.cost, path: path, what: "cost")
        let byKey = Self.index(fields)
        var cost = Cost()
        if let entry = byKey["monthly"] {
            cost.monthly = reading.quantity(entry.value, path: "\(path).monthly", expected: "an amount per replica per month", QuantityParser.money).value ?? 0
        }
        if let entry = byKey["fixed"] {
            cost.fixed = reading.quantity(entry.value, path: "\(path).fixed", expected: "an amount per month", QuantityParser.money).value ?? 0
        }
        if let entry = byKey["standby"] {
            cost.standby = reading.quantity(entry.value, path: "\(path).standby", expected: "an amount per waiting cold standby replica per month", QuantityParser.money).value
        }
        if let entry = byKey["warm"] {
            cost.warm = reading.quantity(entry.value, path: "\(path).warm", expected: "an amount per waiting warm standby replica per month", QuantityParser.money).value
        }
        return cost
    }

    mutating func readBackup(_ node: Node, path: String) -> Backup? {
        guard let fields = reading.entries(node, path: path, expected: "a mapping such as {every: 24h, restore: 4h}") else { return nil }
        reading.checkKeys(fields, allowed: ModelKeys.backup, path: path, what: "backup")
        let byKey = Self.index(fields)
        let every = byKey["every"].flatMap { reading.duration($0.value, path: "\(path).every").value }
        let restore = byKey["restore"].flatMap { reading.law($0.value, path: "\(path).restore", plainIsFixed: true).value }
        if byKey["every"] == nil {
            reading.error(node.location, path, "missing key 'every'", hint: "the time between backups, such as `every: 24h`")
        }
        if byKey["restore"] == nil {
            reading.error(node.location, path, "missing key 'restore'", hint: "the time to restore from backup, such as `restore: 4h`")
        }
        guard let every, let restore else { return nil }
        return Backup(every: every, restore: restore)
    }

    mutating func readReplication(_ node: Node, path: String) -> Replication? {
        guard let fields = reading.entries(node, path: path, expected: "a mapping such as {mode: async, lag: 2s}") else { return nil }
        reading.checkKeys(fields, allowed: ModelKeys.replication, path: path, what: "replication")
        let byKey = Self.index(fields)
        var lag: TimeSpan?
        if let entry = byKey["lag"] {
            lag = reading.duration(entry.value, path: "\(path).lag").value
        }
        if let entry = byKey["traffic"] {
            replicationTrafficGiven = true
            replicationTraffic = reading.quantity(entry.value, path: "\(path).traffic", expected: "data per time such as 500GB/mo",
                                                  QuantityParser.gigabytesPerMonth).value
        }
        guard let modeEntry = byKey["mode"] else {
            reading.error(node.location, path, "missing key 'mode'", hint: "replication mode is sync or async")
            return nil
        }
        guard let text = reading.string(modeEntry.value, path: "\(path).mode", expected: "sync or async").value else { return nil }
        switch text {
        case "sync":
            if let entry = byKey["lag"] {
                reading.warning(entry.keyNode.location, "\(path).lag", "synchronous replication loses no writes; the lag is unused")
            }
            return .sync
        case "async":
            guard let lag else {
                if byKey["lag"] == nil {
                    reading.error(modeEntry.value.location, "\(path).mode", "asynchronous replication needs 'lag'",
                                  hint: "add the mean replication lag, such as `lag: 2s`")
                }
                return nil
            }
            return .async(lag: lag)
        default:
            reading.error(modeEntry.value.location, "\(path).mode", "unknown replication mode '\(text)'",
                          hint: Suggestion.didYouMean(text, among: ["sync", "async"]) ?? "replication mode is sync or async")
            return nil
        }
    }

    // MARK: - Business

    mutating func readBusiness(_ node: Node) -> Business {
        guard let fields = reading.entries(node, path: "business", expected: "a mapping such as {downtime_cost: 5000/h, sla: {target: 99.95%}}") else { return Business() }
        reading.checkKeys(fields, allowed: ModelKeys.business, path: "business", what: "business")
        let byKey = Self.index(fields)
        var business = Business()
        if let entry = byKey["downtime_cost"] {
            business.downtimeCost = reading.quantity(entry.value, path: "business.downtime_cost", expected: "money per time such as 5000/h") {
                QuantityParser.moneyRate($0, defaultUnit: .hour)
            }.value
        }
        if let entry = byKey["data_loss_cost"] {
            business.dataLossCost = reading.quantity(entry.value, path: "business.data_loss_cost", expected: "money per time such as 20/s") {
                QuantityParser.moneyRate($0, defaultUnit: .second)
            }.value
        }
        if let entry = byKey["sla"] { business.sla = readSLA(entry.value) }
        return business
    }

    mutating func readSLA(_ node: Node) -> ServiceLevel? {
        let path = "business.sla"
        if case .scalar = node {
            return reading.fraction(node, path: path).value.map { ServiceLevel(target: $0) }
        }
        guard let fields = reading.entries(node, path: path, expected: "a mapping such as {target: 99.95%, period: month}") else { return nil }
        reading.checkKeys(fields, allowed: ModelKeys.sla, path: path, what: "sla")
        let byKey = Self.index(fields)
        guard let targetEntry = byKey["target"] else {
            reading.error(node.location, path, "missing key 'target'", hint: "such as `target: 99.95%`")
            return nil
        }
        guard let target = reading.fraction(targetEntry.value, path: "\(path).target").value else { return nil }
        var level = ServiceLevel(target: target)
        if let entry = byKey["bill"] {
            level.billMonthly = reading.quantity(entry.value, path: "\(path).bill", expected: "what customers pay per month", QuantityParser.money).value
        }
        if let entry = byKey["credits"] {
            level.credits = readCredits(entry.value, path: "\(path).credits")
            if byKey["bill"] == nil {
                reading.error(entry.keyNode.location, path, "credits are a share of the bill, but no 'bill' is given",
                              hint: "add what customers pay per month, such as `bill: 20000`")
            }
        }
        if let entry = byKey["period"], let text = reading.string(entry.value, path: "\(path).period", expected: "month, year or a duration").value {
            if let word = ModelKeys.periodWords[text] {
                level.period = TimeSpan(hours: word.hours)
            } else {
                switch QuantityParser.duration(text) {
                case .success(let span): level.period = span
                case .failure(let problem) where problem.message.hasPrefix("duration must be positive"):
                    reading.error(entry.value.location, "\(path).period", "the SLA period must be positive, got '\(text)'")
                case .failure:
                    reading.error(entry.value.location, "\(path).period", "unknown period '\(text)'",
                                  hint: Suggestion.didYouMean(text, among: ModelKeys.periodWords.keys.sorted())
                                    ?? "use day, week, month, quarter, year or a duration such as 30d")
                }
            }
        }
        return level
    }

    mutating func readCredits(_ node: Node, path: String) -> [CreditTier] {
        guard case .sequence(let sequence) = node else {
            reading.error(node.location, path, "expected a list of credit tiers, got \(node.kindDescription)",
                          hint: "write - {below: 99.95%, credit: 10%}")
            return []
        }
        if sequence.isEmpty {
            reading.error(node.location, path, "the list of credit tiers is empty", hint: "write [{below: 99.95%, credit: 10%}], or remove `credits`")
        }
        var tiers: [CreditTier] = []
        for (index, item) in sequence.enumerated() {
            let itemPath = "\(path)[\(index)]"
            guard let fields = reading.entries(item, path: itemPath, expected: "a tier such as {below: 99.95%, credit: 10%}") else { continue }
            reading.checkKeys(fields, allowed: ModelKeys.creditTier, path: itemPath, what: "a credit tier")
            let byKey = Self.index(fields)
            for key in ModelKeys.creditTier where byKey[key] == nil {
                reading.error(item.location, itemPath, "missing key '\(key)'", hint: "write {below: 99.95%, credit: 10%}")
            }
            guard let below = byKey["below"].flatMap({ reading.fraction($0.value, path: "\(itemPath).below").value }),
                  let credit = byKey["credit"].flatMap({ reading.fraction($0.value, path: "\(itemPath).credit").value }) else { continue }
            tiers.append(CreditTier(below: below, credit: credit))
        }
        return tiers
    }

    // MARK: - References and graphs

    mutating func checkReferences(components: [Component], domains: [Domain], entry: Reference?, componentsGiven: Bool) {
        let componentNames = components.map(\.id.name)
        let componentSet = Set(componentNames)
        let domainNames = domains.map(\.id.name)
        let domainSet = Set(domainNames)

        if let entry, componentsGiven, !componentSet.contains(entry.name) {
            reading.error(entry.location, entry.path, "'\(entry.name)' is not a component",
                          hint: Suggestion.didYouMean(entry.name, among: componentNames)
                            ?? (componentNames.isEmpty ? nil : "components are \(componentNames.prefix(10).map { "'\($0)'" }.joined(separator: ", "))\(componentNames.count > 10 ? ", …" : "")"))
        }
        for (_, ref) in componentRefs where !componentSet.contains(ref.name) {
            reading.error(ref.location, ref.path, "unknown component '\(ref.name)'",
                          hint: Suggestion.didYouMean(ref.name, among: componentNames))
        }
        for ref in placementRefs where !domainSet.contains(ref.name) {
            reading.error(ref.location, ref.path, "unknown domain '\(ref.name)'",
                          hint: Suggestion.didYouMean(ref.name, among: domainNames)
                            ?? (domainNames.isEmpty ? "declare it under `domains:`" : nil))
        }
        for (_, ref) in withinRefs where !domainSet.contains(ref.name) {
            reading.error(ref.location, ref.path, "unknown domain '\(ref.name)'",
                          hint: Suggestion.didYouMean(ref.name, among: domainNames))
        }

        // Cycles: among components through depends_on, among domains through within.
        let componentEdges = componentRefs.filter { componentSet.contains($0.ref.name) }
        reportCycles(nodes: componentNames, edges: componentEdges, kind: "dependency cycle")
        let domainEdges = withinRefs.filter { domainSet.contains($0.ref.name) }
        reportCycles(nodes: domainNames, edges: domainEdges, kind: "domain cycle (within)")

        // Components that cannot affect the service (unless a misspelt reference explains it).
        let unknownReferences = componentRefs.contains { !componentSet.contains($0.ref.name) }
        if let entry, componentSet.contains(entry.name), !unknownReferences {
            var reachable: Set<String> = [entry.name]
            var stack = [entry.name]
            var adjacency: [String: [String]] = [:]
            for edge in componentEdges { adjacency[edge.from, default: []].append(edge.ref.name) }
            while let name = stack.popLast() {
                for next in adjacency[name] ?? [] where reachable.insert(next).inserted {
                    stack.append(next)
                }
            }
            for component in components where !reachable.contains(component.id.name) {
                reading.warning(component.location, "components.\(component.id.name)",
                                "not reachable from entry '\(entry.name)': it cannot affect availability (its cost still counts)")
            }
        }
    }

    /// Reports each elementary cycle found by depth-first search once, naming it in order
    /// (`a → b → c → a`) at the reference that closes it.
    mutating func reportCycles(nodes: [String], edges: [(from: String, ref: Reference)], kind: String) {
        var adjacency: [String: [Reference]] = [:]
        for edge in edges { adjacency[edge.from, default: []].append(edge.ref) }
        var state: [String: Int] = [:]  // 1 on the path, 2 finished
        var reported: Set<Set<String>> = []
        for root in nodes where state[root] == nil {
            // Iterative depth-first search: the path, and for each node on it the next edge to try.
            var path: [String] = [root]
            var next: [Int] = [0]
            state[root] = 1
            while let node = path.last, let edgeIndex = next.last {
                let outgoing = adjacency[node] ?? []
                guard edgeIndex < outgoing.count else {
                    state[node] = 2
                    path.removeLast()
                    next.removeLast()
                    continue
                }
                next[next.count - 1] += 1
                let ref = outgoing[edgeIndex]
                switch state[ref.name] {
                case 1:
                    guard let start = path.lastIndex(of: ref.name) else { continue }
                    let cycle = Array(path[start...])
                    if reported.insert(Set(cycle)).inserted {
                        reading.error(ref.location, ref.path, "\(kind): \((cycle + [ref.name]).joined(separator: " → "))",
                                      hint: kind.hasPrefix("dependency") ? "dependencies must form a directed acyclic graph" : nil)
                    }
                case nil:
                    state[ref.name] = 1
                    path.append(ref.name)
                    next.append(0)
                default:
                    break
                }
            }
        }
    }
}

extension Field {
    func map<T>(_ transform: (Value) -> T) -> Field<T> {
        switch self {
        case .absent: .absent
        case .invalid: .invalid
        case .value(let value, let location): .value(transform(value), location)
        }
    }
}
