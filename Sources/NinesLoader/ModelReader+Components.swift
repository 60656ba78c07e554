internal import Yams
import Foundation
import NinesModel

/// `components:`: replicas, redundancy, failover, modes, dependencies, cost, backup, replication.
extension ModelReader {
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

        let replicas = byKey["replicas"].map {
            reading.integer($0.value, path: "\(path).replicas", minimum: 1, maximum: ModelLimits.replicas,
                            beyond: "no architecture has that many replicas of one component; split it into components")
        } ?? .absent
        let count = replicas.value ?? 1
        let need = byKey["need"].map { readCount($0.value, path: "\(path).need", rule: .majority, replicas: count) } ?? (.absent, nil)
        let full = byKey["full"].map { readCount($0.value, path: "\(path).full", rule: .all, replicas: count) } ?? (.absent, nil)
        component.replicas = count
        component.need = need.field.value ?? 1
        component.full = full.field.value ?? component.need
        component.needRule = need.rule
        component.fullRule = full.rule
        let (needField, fullField) = (need.field, full.field)

        if let replicaCount = replicas.isAbsent ? 1 : replicas.value {
            if let value = needField.value, value > replicaCount {
                reading.error(needField.location, "\(path).need", "\(value) exceeds replicas (\(replicaCount))",
                              hint: replicas.isAbsent ? "replicas defaults to 1; set `replicas: \(value)` or more" : nil)
            }
            if let value = fullField.value, value > replicaCount {
                reading.error(fullField.location, "\(path).full", "\(value) exceeds replicas (\(replicaCount))")
            }
        }
        if let entry = byKey["min_copies"] {
            let copies = reading.integer(entry.value, path: "\(path).min_copies", minimum: 1, maximum: ModelLimits.replicas,
                                         beyond: "it is at most the replicas")
            if let value = copies.value {
                if value > count {
                    reading.error(copies.location, "\(path).min_copies", "\(value) exceeds replicas (\(count))",
                                  hint: "the data is lost when fewer than min_copies replicas hold a copy; it is at most the replicas")
                } else {
                    component.minCopies = value
                }
            }
        }
        if let fullValue = fullField.value, let needValue = needField.isAbsent ? 1 : needField.value, fullValue < needValue {
            reading.error(fullField.location, "\(path).full", "\(fullValue) is less than need (\(needValue))",
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
            if let value = needField.value, value != 1 {
                reading.error(needField.location, "\(path).need", "a standby component needs exactly 1 serving replica, got \(value)",
                              hint: "remove `need`, or use `mode: active` for a k-of-n group")
            }
            if let value = fullField.value, value != 1 {
                reading.error(fullField.location, "\(path).full", "a standby component is never degraded, so full does not apply",
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
            component.repairCrews = reading.integer(entry.value, path: "\(path).repair_crews", minimum: 1, maximum: ModelLimits.replicas,
                                                    beyond: "crews beyond the replicas change nothing; leave repair_crews out for unlimited").value
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
            switchingRead = nil
            component.dependency = readDependency(entry.value, path: "\(path).depends_on", from: entry.key == "depends_on" ? id.name : id.name)
            component.switching = switchingRead
            switchingRead = nil
        }

        if let entry = byKey["cost"] {
            component.cost = readCost(entry.value, path: "\(path).cost")
        }

        if let entry = byKey["replication"] {
            replicationTraffic = nil
            replicationTrafficGiven = false
            component.replication = readReplication(entry.value, path: "\(path).replication")
            component.replicationTrafficGBPerMonth = replicationTraffic
            var losesWrites = false
            if case .async(let lag) = component.replication, lag.seconds > 0 { losesWrites = true }
            if modeName != "standby", component.replication != nil, !losesWrites, !replicationTrafficGiven {
                reading.warning(entry.keyNode.location, "\(path).replication",
                                "sync replication on an active component loses nothing, so it changes nothing here",
                                hint: "`{mode: async, lag: 5s}` loses lag × k/s of writes when k of s serving replicas stop at once")
            }
        }
        if let entry = byKey["data_loss_cost"] {
            component.dataLossCost = reading.quantity(entry.value, path: "\(path).data_loss_cost", expected: "money per time such as 20/s") {
                QuantityParser.moneyRate($0, defaultUnit: .second)
            }.value
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
                            "no backup: when fewer than \(component.copiesNeeded) of \(id.name.possessive) replicas hold a copy, all its data is lost for good",
                            hint: "add `backup: {every: 24h, restore: 4h}`; the engines count these losses as unrecoverable")
        }
        if let backupEntry = byKey["backup"], component.backup != nil, !component.losesData, !component.isPerfect {
            reading.warning(backupEntry.keyNode.location, "\(path).backup", "no failure mode loses data, so the backup is never restored",
                            hint: "add `loses_data: true` to the failure modes that destroy a replica's copy")
        }
        return component
    }

    /// A replica count (`need`, `full`): a whole number of at least 1, or the word of its rule
    /// (`majority` for `need`, `all` for `full`), resolved against `replicas`.
    mutating func readCount(_ node: Node, path: String, rule: ReplicaCountRule, replicas: Int) -> (field: Field<Int>, rule: ReplicaCountRule?) {
        if case .scalar(let scalar) = node, !scalar.string.isEmpty, scalar.string.allSatisfy(\.isLetter) {
            let text = scalar.string
            if text == rule.rawValue { return (.value(rule.count(of: replicas), node.location), rule) }
            reading.error(node.location, path, "expected a whole number or `\(rule.rawValue)`, got '\(text)'",
                          hint: Suggestion.didYouMean(text, among: [rule.rawValue]))
            return (.invalid, nil)
        }
        return (reading.integer(node, path: path, minimum: 1), nil)
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
        if sequence.count > ModelLimits.modes {
            reading.error(node.location, path, "\(sequence.count) failure modes are more than the \(ModelLimits.modes) a component may have",
                          hint: "merge modes with similar failure and repair times: what matters is each mode's rate and repair time")
            return []
        }
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
                if let failoverEntry = byKey["failover"] {
                    if case .mapping(let mapping) = failoverEntry.value, let coverage = mapping["coverage"], Self.isRange(coverage) {
                        reading.error(coverage.location, "\(path).failover.coverage", "a range is not supported for a failover group's coverage",
                                      hint: "give one value, such as 0.99")
                    } else if let failover = readFailover(failoverEntry, path: path, isStandby: true, component: ComponentID(component)) {
                        switchingRead = Switching(failover: failover,
                                                  replication: byKey["replication"].flatMap { readReplication($0.value, path: "\(path).replication") })
                    }
                } else if let replication = byKey["replication"] {
                    reading.error(replication.keyNode.location, "\(path).replication", "replication on {any: [...]} needs 'failover': without it every alternative serves at once",
                                  hint: "add `failover: {detect: 90s, switchover: 60s}` to switch between the alternatives")
                }
                return .any(record(names, "\(path).any"))
            }
            if byKey["failover"] != nil || byKey["replication"] != nil, let key = fields.first(where: { $0.key == "failover" || $0.key == "replication" }) {
                reading.error(key.keyNode.location, "\(path).\(key.key)", "'\(key.key)' applies only to {any: [...]}: one alternative at a time",
                              hint: "write depends_on: {any: [east, west], failover: {detect: 90s, switchover: 60s}}")
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
}
