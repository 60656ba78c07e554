import Foundation
import NinesModel
import NinesResults
import NinesSemantics
import NinesNumerics

extension Analysis {
    // MARK: - The run, in stages

    /// Every metric of the format, in stages a reader can follow:
    /// 1. ``build()``: the independent blocks (active components, standby clusters, free
    ///    domains) built and solved, each once;
    /// 2. ``longRun(configurations:)``: conditioning on the domains' and clusters' states, the
    ///    service's law, each component's and domain's share and the outage frequency — the
    ///    heart of the method, first because everything after reads its totals;
    /// 3. ``dataLoss()``: failovers and the writes and copies they lose, from the blocks alone;
    /// 4. ``notes(_:)``: what the figures rest on (laws read by their means, components without backup);
    /// 5. ``meanTimes(_:_:notes:)``: MTTDL and MTTF, first passages on joint chains, the
    ///    dearest part, last and only when asked for;
    /// 6. ``result(_:_:mttf:mttdl:notes:)``: the metrics, costs and per-element figures assembled.
    /// - Parameter dataLoss: whether to solve MTTDL's first passages (a journey's view of the
    ///   model takes the model's own).
    /// - Parameter tails: whether to compute the exact tails (a journey's view leaves them out:
    ///   only the model's are reported).
    mutating func run(meanTimes: Bool = true, dataLoss withDataLoss: Bool = true, tails withTails: Bool = true) throws -> AnalysisResult {
        try build()
        let figures: LongRun
        var loss: DataLossRates
        if switchingGroups.isEmpty {
            figures = try longRun(configurations: conditioningBlocks())
            loss = try dataLoss()
        } else {
            // Failover groups depend on their alternatives' histories: the joint chain.
            let (joint, flows) = try jointLongRun()
            figures = joint
            loss = try dataLoss()
            for component in flows.failovers.keys.sorted() {
                let rate = flows.failovers[component] ?? 0
                loss.failovers += rate
                if model.components[component].switching?.lagSeconds ?? 0 > 0 { loss.failoverLosses[component, default: 0] += rate }
            }
            loss.lostSeconds += flows.lagSeconds
            loss.lossEvents += flows.lossEvents
        }
        var notes = self.notes(loss)
        var mttdl: Double?, mttf: Double?, mttfBound: Double?
        if meanTimes { (mttdl, mttf, mttfBound) = self.meanTimes(figures, loss, dataLoss: withDataLoss, notes: &notes) }
        var tails: ExactTails?
        if meanTimes, withTails, figures.frequency > 0 {
            do {
                tails = try exactTails(OutageTails.Whole(up: figures.up, down: figures.down, frequency: figures.frequency, sink: -1))
                if let tails, tails.monthWithOutageProbability == nil { notes.append(.monthWithOutageNotComputed(operations: SojournLaw.workLimit)) }
                if let tails {
                    var missing: [PeriodFigure] = []
                    let sla = model.business.sla
                    if tails.monthlyDowntimeHours == nil { missing.append(.monthlyPercentiles) }
                    if sla != nil, tails.slaBreachProbability == nil { missing.append(.slaBreach) }
                    if sla?.credits.isEmpty == false, tails.expectedCreditFraction == nil { missing.append(.slaCredits) }
                    if !missing.isEmpty { notes.append(.periodDowntimeNotComputed(missing: missing, operations: PeriodDowntime.workLimit, outages: PeriodDowntime.levelLimit)) }
                }
            } catch {
                notes.append(.tailsNotComputed(reason: "\(error)"))
            }
        }
        var analysed = result(figures, loss, mttf: mttf, mttdl: mttdl, notes: notes)
        analysed.metrics.mttfLowerBoundHours = mttfBound
        analysed.tails = tails
        if let fraction = tails?.expectedCreditFraction, let bill = model.business.sla?.billMonthly {
            // The same rule as the simulation's: each period's credit × the bill.
            analysed.metrics.cost.slaCreditsMonthly = fraction * bill
            analysed.notes.removeAll { $0 == .creditsNeedSimulation }
        }
        if figures.frequency == 0, let sla = model.business.sla, !sla.credits.isEmpty, let bill = sla.billMonthly {
            // The service never changes: every period's downtime is P(down) × its length.
            analysed.metrics.cost.slaCreditsMonthly = sla.credit(downHours: figures.down * sla.period.hours) * bill
            analysed.notes.removeAll { $0 == .creditsNeedSimulation }
        }
        if analysed.notes.contains(where: { if case .periodDowntimeNotComputed(let missing, _, _) = $0 { missing.contains(.slaCredits) } else { false } }) {
            // That note already says why the credits are missing.
            analysed.notes.removeAll { $0 == .creditsNeedSimulation }
        }
        return analysed
    }

    /// The largest product of the blocks' sizes whose joint chain is explored for the exact
    /// tails of a model without failover groups (its stationary law is the product of the
    /// blocks', so nothing more is solved).
    static let tailsBound = 50_000

    /// The exact tails (``OutageTails``) from the joint chain: the one solved for failover
    /// groups, or, without groups, the joint chain explored (when the product of the blocks'
    /// sizes is at most ``tailsBound``, else in part: ``exactTailsInPart(_:figures:bound:)``)
    /// with its law the product of the independent blocks'.
    /// - Parameter figures: the model's long-run P(up), P(down) and ω (its sink unused).
    func exactTails(_ figures: OutageTails.Whole) throws -> ExactTails? {
        if let joint = solvedJoint {
            return try OutageTails.compute(rates: joint.rates, pi: joint.pi, sla: model.business.sla) { joint.status[$0] < 2 }
        }
        let positions = self.positions
        let bound = positions.sizeBound
        guard bound <= Self.tailsBound else { return try exactTailsInPart(positions, figures: figures, bound: bound) }
        let chain = try exploreJoint(limit: Self.tailsBound, expandDown: true)
        let pi = chain.states.map(positions.probability(of:))
        let rates = RateMatrix(stateCount: chain.states.count, triples: chain.triples)
        return try OutageTails.compute(rates: rates, pi: pi, sla: model.business.sla) { chain.status[$0] < 2 }
    }

    /// The error bound the exact tails may carry when read from part of the joint chain.
    static let partialTailsErrorBound = 1e-4

    /// The exact tails of a model whose joint chain is too large to explore whole: explored
    /// only where the product law gives a state at least δ (δ from 10^-3 P(down) down by
    /// hundredfold steps, up to ``tailsBound`` states), the rest one sink; the first part whose
    /// error bound (``OutageTails/Whole``) is at most 10^-6 is taken, or the last within
    /// ``partialTailsErrorBound``.
    func exactTailsInPart(_ positions: Positions, figures: OutageTails.Whole, bound: Int) throws -> ExactTails? {
        // The parts within the bound, coarsest first; the tails are computed once, from the
        // first whose bound is at most 10^-6 (or the finest within the bound), falling back to
        // a coarser one where a finer one is too stiff to uniformise.
        var parts: [(rates: RateMatrix, pi: [Double], whole: OutageTails.Whole, status: [Int])] = []
        var threshold = 1e-3 * figures.down
        while threshold > 1e-300 {
            let chain: JointChain
            do {
                chain = try exploreJoint(limit: Self.tailsBound, expandDown: true) { positions.probability(of: $0) >= threshold }
            } catch {
                break
            }
            let sink = chain.states.count
            let pi = chain.states.map(positions.probability(of:)) + [0]
            let rates = RateMatrix(stateCount: sink + 1, triples: chain.triples)
            var whole = figures
            whole.sink = sink
            let partBound = OutageTails.partBound(rates: rates, pi: pi, whole: whole) { $0 < sink && chain.status[$0] < 2 }
            whole.bound = partBound
            if partBound <= Self.partialTailsErrorBound { parts.append((rates, pi, whole, chain.status)) }
            if partBound <= 1e-6 { break }
            threshold /= 100
        }
        var refusal: (any Error)?
        for part in parts.reversed() {
            let sink = part.whole.sink
            do {
                return try OutageTails.compute(rates: part.rates, pi: part.pi, sla: model.business.sla, whole: part.whole) { $0 < sink && part.status[$0] < 2 }
            } catch {
                refusal = refusal ?? error
            }
        }
        if let refusal { throw refusal }
        throw ChainError.mayBeTooLarge(what: "the joint chain of the model's independent blocks, which exact outage tails need,",
                                       states: bound, limit: Self.tailsBound,
                                       advice: "no part of it within that size bounds the tails' error by \(Self.partialTailsErrorBound); the Monte Carlo engine (--engine montecarlo) gives the outage percentiles with the other tails")
    }

    /// The long-run figures the configurations give.
    struct LongRun {
        var up = 0.0, down = 0.0, degraded = 0.0, frequency = 0.0
        /// Per node of the structure.
        var componentDown: [Double], componentUp: [Double], componentFrequency: [Double], componentShare: [Double]
        /// Per domain.
        var domainDownProbability: [Double], domainShare: [Double]
    }

    /// Stage 2: every configuration of the conditioning blocks, weighted by its probability:
    /// the service's law from the structure function over the components' own laws, each
    /// component's share of the downtime, and the outage frequency (each block's flows
    /// weighted by the probability that they take the service from up to down).
    func longRun(configurations blocks: [ConditioningBlock]) throws -> LongRun {
        let radices = blocks.map(\.probabilities.count)
        let total = radices.reduce(1) { $0 > MarkovEngine.configurationLimit ? $0 : $0 * $1 }
        if total > MarkovEngine.configurationLimit { throw MarkovEngine.EngineError.tooManyConfigurations(total, domains: freeDomains.count) }

        let nodeCount = structure.nodes.count
        try checkWork(configurations: total, blocks: blocks)
        var up = 0.0, down = 0.0, degraded = 0.0, frequency = 0.0
        var componentDown = [Double](repeating: 0, count: nodeCount)
        var componentUp = [Double](repeating: 0, count: nodeCount)
        var componentFrequency = [Double](repeating: 0, count: nodeCount)
        var componentShare = [Double](repeating: 0, count: nodeCount)
        var domainDownProbability = [Double](repeating: 0, count: compiled.domains.count)
        var domainShare = [Double](repeating: 0, count: compiled.domains.count)

        var ownCache: [Int: [Int: (full: Double, degraded: Double, down: Double)]] = [:]
        var flowCache: [Int: [Int: Double]] = [:]

        var configuration = [Int](repeating: 0, count: blocks.count)
        for _ in 0..<total {
            defer { Self.advance(&configuration, radices: radices) }
            var probability = 1.0
            for (b, block) in blocks.enumerated() { probability *= block.probabilities[configuration[b]] }
            guard probability > 0 else { continue }
            let domainUpNow = domainUp(ownDown(configuration))
            var masks = [Int](repeating: 0, count: nodeCount)
            var owns = [[Double]](repeating: [0, 0, 1], count: nodeCount)
            for (node, n) in structure.nodes.enumerated() {
                if let block = activeBlocks[n.component] {
                    let mask = mask(of: block, domainUp: domainUpNow)
                    masks[node] = mask
                    let law: (full: Double, degraded: Double, down: Double)
                    if let cached = ownCache[n.component]?[mask] { law = cached } else {
                        law = block.ownDistribution(mask: mask)
                        ownCache[n.component, default: [:]][mask] = law
                    }
                    owns[node] = [law.down, law.degraded, law.full]
                } else {
                    owns[node] = serves(component: n.component, configuration: configuration) ? [0, 0, 1] : [1, 0, 0]
                }
                componentDown[node] += probability * owns[node][0]
                componentUp[node] += probability * (owns[node][1] + owns[node][2])
            }
            let law = structure.evaluate(StatusAlgebra.self) { owns[$0] }
            let downHere = law[0] + law[1]
            up += probability * (law[2] + law[3])
            down += probability * downHere
            degraded += probability * law[3]
            for (domain, isUp) in domainUpNow.enumerated() where !isUp {
                domainDownProbability[domain] += probability
                domainShare[domain] += probability * downHere
            }
            // Each component's share of the downtime: P(service down and the component down).
            for node in 0..<nodeCount where owns[node][0] > 0 {
                let given = structure.evaluate(StatusAlgebra.self) { $0 == node ? [1, 0, 0] : owns[$0] }
                componentShare[node] += probability * owns[node][0] * (given[0] + given[1])
            }
            // Outages started by a component's own replicas: its flow times its Birnbaum importance.
            let pairs: [[Double]] = owns.map { [$0[0], 0, $0[1] + $0[2]] }
            for (node, n) in structure.nodes.enumerated() {
                guard let block = activeBlocks[n.component] else { continue }
                let flow: Double
                if let cached = flowCache[n.component]?[masks[node]] { flow = cached } else {
                    flow = block.downFlow(mask: masks[node])
                    flowCache[n.component, default: [:]][masks[node]] = flow
                }
                guard flow > 0 else { continue }
                componentFrequency[node] += probability * flow
                let critical = structure.evaluate(TransitionAlgebra.self) { $0 == node ? [0, 1, 0] : pairs[$0] }
                frequency += probability * flow * critical[1]
            }
            // Outages started by a domain or a standby cluster changing state.
            for (b, block) in blocks.enumerated() {
                let others = probability / block.probabilities[configuration[b]]
                for transition in block.flows where transition.from == configuration[b] {
                    var after = configuration
                    after[b] = transition.to
                    let afterDomainUp = domainUp(ownDown(after))
                    var increasing = false
                    var transitionOwns = [[Double]](repeating: [0, 0, 1], count: nodeCount)
                    var ownDrops = [Double](repeating: 0, count: nodeCount)
                    for (node, n) in structure.nodes.enumerated() {
                        if let activeBlock = activeBlocks[n.component] {
                            let afterMask = mask(of: activeBlock, domainUp: afterDomainUp)
                            if afterMask & ~masks[node] != 0 { increasing = true; break }
                            if afterMask == masks[node] {
                                transitionOwns[node] = pairs[node]
                            } else {
                                let joint = activeBlock.pairDistribution(before: masks[node], after: afterMask)
                                transitionOwns[node] = [joint[3] + joint[2], joint[1], joint[0]]
                                ownDrops[node] = joint[1]
                            }
                        } else {
                            let before = serves(component: n.component, configuration: configuration)
                            let later = serves(component: n.component, configuration: after)
                            if !before && later { increasing = true; break }
                            transitionOwns[node] = before ? (later ? [0, 0, 1] : [0, 1, 0]) : [1, 0, 0]
                            ownDrops[node] = before && !later ? 1 : 0
                        }
                    }
                    if increasing { continue }
                    let weight = others * transition.flow
                    for node in 0..<nodeCount { componentFrequency[node] += weight * ownDrops[node] }
                    let law = structure.evaluate(TransitionAlgebra.self) { transitionOwns[$0] }
                    frequency += weight * law[1]
                }
            }
        }
        return LongRun(up: up, down: down, degraded: degraded, frequency: frequency, componentDown: componentDown,
                       componentUp: componentUp, componentFrequency: componentFrequency, componentShare: componentShare,
                       domainDownProbability: domainDownProbability, domainShare: domainShare)
    }

    /// The most elementary steps ``longRun(configurations:)`` may take (a few seconds).
    static let workLimit = 4_000_000_000.0

    /// Refuses, before enumerating, a conditioning whose work would take minutes: per
    /// configuration, each change of a domain or cluster reads the law of every active block
    /// it touches (its states) and evaluates the structure once per component.
    func checkWork(configurations: Int, blocks: [ConditioningBlock]) throws(MarkovEngine.EngineError) {
        let changes = blocks.reduce(1.0) { $0 + Double($1.flows.count) / Double(max(1, $1.probabilities.count)) }
        let blockStates = activeBlocks.values.reduce(0.0) { $0 + Double($1.pi.count) }
        // Per configuration: the structure evaluated once per component (its share and its
        // importance) and once per change; an evaluation step costs about twenty state reads.
        let evaluations = 1 + 2 * Double(structure.nodes.count) + changes
        let work = Double(configurations) * (changes * blockStates + 20 * evaluations * structure.evaluationCost)
        guard work > Self.workLimit else { return }
        throw .tooMuchWork(work, configurations: configurations, states: Int(blockStates), nodes: structure.nodes.count)
    }

    /// Failovers, data-loss events and lost writes per hour.
    struct DataLossRates {
        var failovers = 0.0, lostSeconds = 0.0, lossEvents = 0.0, unrecoverable = 0.0
        /// Per hour, by component index: lag-losing failovers and losses of the last copies.
        var failoverLosses: [Int: Double] = [:], copyLosses: [Int: Double] = [:]
        /// The active blocks that can lose copies, in component order.
        var dataBlocks: [ActiveBlock] = []
        /// By component index: the writes lost by active components with async replication.
        var writes: [Int: ActiveWrites] = [:]
    }

    /// Stage 3: failovers and the writes they lose, over every standby component in the
    /// file, the writes active components with async replication lose, and the losses of
    /// last copies of every component that can lose them.
    func dataLoss() throws(ChainError) -> DataLossRates {
        var failovers = 0.0, lostSeconds = 0.0, lossEvents = 0.0, unrecoverable = 0.0
        var failoverLosses: [Int: Double] = [:], copyLosses: [Int: Double] = [:]
        func copiesLost(_ component: Component, rate: Double) {
            if let index = compiled.componentIndex[component.id] { copyLosses[index, default: 0] += rate }
            lossEvents += rate
            if let backup = component.backup { lostSeconds += rate * backup.every.seconds / 2 } else { unrecoverable += rate }
        }
        for cluster in clusters {
            for (m, member) in cluster.members.enumerated() {
                let rate = cluster.failoverRates[m]
                failovers += rate
                let component = model.components[member.component]
                if case .async(let lag) = component.replication {
                    lostSeconds += rate * lag.seconds
                    lossEvents += rate
                    failoverLosses[member.component, default: 0] += rate
                }
                if component.losesData { copiesLost(component, rate: cluster.copyLossRates[m]) }
            }
        }
        let dataBlocks = (Array(activeBlocks.values) + Array(outsideDataBlocks.values))
            .filter(\.losesData).sorted { $0.component < $1.component }
        for block in dataBlocks { copiesLost(model.components[block.component], rate: block.lossRate) }
        var writes: [Int: ActiveWrites] = [:]
        for (index, component) in model.components.enumerated() {
            guard let lag = component.activeWriteLag, let block = activeBlocks[index] ?? outsideDataBlocks[index] else { continue }
            let lost = try ActiveWrites(block: block, compiled: compiled, lag: lag.seconds)
            // Summed in trigger order, so that the totals do not depend on a dictionary's order.
            for trigger in DataLossCause.writeTriggers(compiled.topology, component: index) {
                let figures = lost.byTrigger[trigger] ?? (0, 0)
                lossEvents += figures.events
                lostSeconds += figures.seconds
            }
            writes[index] = lost
        }
        return DataLossRates(failovers: failovers, lostSeconds: lostSeconds, lossEvents: lossEvents, unrecoverable: unrecoverable,
                             failoverLosses: failoverLosses, copyLosses: copyLosses, dataBlocks: dataBlocks, writes: writes)
    }

    /// Stage 4: what the figures rest on.
    func notes(_ loss: DataLossRates) -> [Note] {
        var notes = compiled.notes
        let withoutBackup = model.components.filter { $0.losesData && $0.backup == nil }.map(\.id.name)
        if !withoutBackup.isEmpty {
            notes.append(.noBackup(components: withoutBackup, lossesPerYear: loss.unrecoverable * TimeUnit.year.hours))
        }
        return notes
    }

    /// Stage 5: MTTDL and MTTF (first passages from everything up); a note where one cannot
    /// be computed.
    func meanTimes(_ figures: LongRun, _ loss: DataLossRates, dataLoss withDataLoss: Bool = true,
                   notes: inout [Note]) -> (mttdl: Double?, mttf: Double?, mttfLowerBound: Double?) {
        var mttdl: Double?
        // A component whose writes have their own passage loses its copies in that passage too.
        let writing = Set(loss.writes.filter { $0.value.events > 0 }.keys)
        let passages = loss.dataBlocks.filter { !writing.contains($0.component) }.map { block in
            LossPassage(rates: block.rates, start: 0) { block.losesData(from: $0, to: $1) }
        } + clusters.filter(\.canLoseData).map { cluster in
            LossPassage(rates: cluster.rates, start: 0) { cluster.losesData(from: $0, to: $1) }
        }
        if withDataLoss, switchingGroups.contains(where: { $0.lagSeconds > 0 }) {
            notes.append(.meanTimeNotComputed(.mttdlHours, reason: "the first lost write may be a failover group's switch, which the Markov engine's passages to data loss do not follow; the Monte Carlo engine (--engine montecarlo) estimates it"))
        } else if withDataLoss {
            switch Result(catching: { () throws(ChainError) -> Double? in
                try DataLossPassage.meanTimeToDataLoss(passages + writePassages(loss))
            }) {
            case .success(let value): mttdl = value
            case .failure(let error): notes.append(.meanTimeNotComputed(.mttdlHours, reason: "\(error)"))
            }
        }
        var mttf: Double?, bound: Double?
        if figures.down > 0 || figures.frequency > 0 {
            switch Result(catching: { () throws(ChainError) -> Double in try meanTimeToFailure() }) {
            case .success(let value): mttf = value
            case .failure(let error):
                notes.append(.meanTimeNotComputed(.mttfHours, reason: "\(error)"))
                if let p0 = everythingUpProbability(), p0 > 0, figures.frequency > 0 {
                    bound = p0 / figures.frequency
                    notes.append(.meanTimeLowerBound(.mttfHours, everythingUp: Probability.clamped(p0)))
                }
            }
        }
        return (mttdl, mttf, bound)
    }

    /// The long-run probability that every block is in its first state — everything up, the
    /// state MTTF starts from — as the product of the independent blocks' (active components,
    /// free domains and causes, standby clusters); `nil` when failover groups couple them
    /// (their joint chain holds it, not the product).
    func everythingUpProbability() -> Double? {
        guard switchingGroups.isEmpty else { return nil }
        let positions = self.positions
        // A held domain: the start is not everything up; no bound.
        guard !(0..<positions.count).contains(where: positions.held) else { return 0 }
        return positions.probability(of: [Int](repeating: 0, count: positions.count))
    }

    /// The first passages to the first lost write of the active components with async
    /// replication: those whose writes depend on a shared domain or cause in one joint chain
    /// (union–find over their domains and causes), each group independent of the others. A
    /// standby cluster that loses data holds its domains' states in its own chain: a group
    /// sharing one with it is not independent of it, so mttdl is not computed, and the note says why.
    func writePassages(_ loss: DataLossRates) throws(ChainError) -> [LossPassage] {
        let clustered = clusters.filter(\.canLoseData).reduce(into: Set<Int>()) { set, cluster in
            for member in cluster.members { set.formUnion(compiled.topology.domainsTouched(by: member.component)) }
        }
        var groups: [(blocks: [ActiveBlock], flags: Set<Int>)] = []
        for index in loss.writes.keys.sorted() where (loss.writes[index]?.events ?? 0) > 0 {
            guard let block = activeBlocks[index] ?? outsideDataBlocks[index] else { continue }
            var group = (blocks: [block], flags: try ActiveWrites.flags(block: block, compiled: compiled))
            guard clustered.isDisjoint(with: group.flags) else {
                throw .dependentBlocks("component \(model.components[index].id.name.possessive) lost writes depend on domains or causes of a standby cluster that loses data")
            }
            // Merge every group it shares a domain or cause with.
            groups.removeAll { other in
                guard !other.flags.isDisjoint(with: group.flags) else { return false }
                group.blocks = other.blocks + group.blocks
                group.flags.formUnion(other.flags)
                return true
            }
            groups.append(group)
        }
        return try groups.map { group throws(ChainError) in
            try ActiveWrites.passage(blocks: group.blocks, compiled: compiled, limit: DataLossPassage.jointLimit)
        }
    }

    /// Stage 6: the metrics, costs and per-component and per-domain figures.
    func result(_ figures: LongRun, _ loss: DataLossRates, mttf: Double?, mttdl: Double?, notes: [Note]) -> AnalysisResult {
        var notes = notes
        var (up, down) = (figures.up, figures.down)
        let (degraded, frequency) = (figures.degraded, figures.frequency)
        // A service that can fail is never reported as unfailing: below the floor, the bound.
        let belowFloor = down < Metrics.unavailabilityFloor && compiled.topology.canFail
        if belowFloor {
            down = Metrics.unavailabilityFloor
            up = 1
            notes.append(.unavailabilityBelow(Metrics.unavailabilityFloor))
        }
        let (failovers, lostSeconds, lossEvents, unrecoverable) = (loss.failovers, loss.lostSeconds, loss.lossEvents, loss.unrecoverable)
        var primaryShares: [ComponentID: [Double]] = [:]
        for cluster in clusters {
            for (m, member) in cluster.members.enumerated() { primaryShares[model.components[member.component].id] = cluster.primaryShares[m] }
        }
        let lossCauses = DataLossCause.causes(of: model, topology: compiled.topology) { index, kind in
            (kind == .failover ? loss.failoverLosses[index] : loss.copyLosses[index]).map { $0 * TimeUnit.year.hours } ?? 0
        } writes: { index, trigger in
            let figures = loss.writes[index]?.byTrigger[trigger] ?? (0, 0)
            return (figures.events * TimeUnit.year.hours, figures.seconds * TimeUnit.year.hours)
        }
        var metrics = Metrics.derived(
            availability: up, unavailability: down, outagesPerHour: frequency, mttfHours: mttf,
            degradedProbability: degraded, failoversPerHour: failovers, dataLossSecondsPerHour: lostSeconds, model: model,
            primaryShares: primaryShares,
            pricedDataLossPerYear: model.pricesDataLossPerComponent ? DataLossCause.pricedPerYear(lossCauses, model: model) : nil)
        metrics.unavailabilityIsUpperBound = belowFloor
        metrics.dataLossEventsPerYear = lossEvents * TimeUnit.year.hours
        metrics.unrecoverableLossesPerYear = unrecoverable * TimeUnit.year.hours
        metrics.mttdlHours = mttdl
        metrics.dataLossCauses = lossCauses
        let windowed = lossEvents - unrecoverable
        metrics.dataLossWindowSeconds = windowed > 0 ? lostSeconds / windowed : nil
        if model.business.sla?.credits.isEmpty == false {
            notes.append(.creditsNeedSimulation)
        }
        if let note = Note.failoverCount(metrics, model: model) { notes.append(note) }
        if let note = Note.independence(model) { notes.append(note) }
        if !reduced.isEmpty {
            notes.append(.alternativesLumped(reduced.map { model.components[structure.nodes[$0.node].component].id.name }))
        }
        let components = structure.nodes.enumerated().map { node, n in
            ComponentResult(id: model.components[n.component].id, availability: figures.componentUp[node],
                            unavailability: figures.componentDown[node], outagesPerYear: figures.componentFrequency[node] * TimeUnit.year.hours,
                            downtimeShare: figures.componentShare[node].isNaN ? nil : (down > 0 ? figures.componentShare[node] / down : 0))
        }.sorted { lhs, rhs in
            (compiled.componentIndex[lhs.id] ?? 0) < (compiled.componentIndex[rhs.id] ?? 0)
        }
        // A domain or cause nothing in the entry's closure touches is not conditioned on: its own
        // down time (itself or a domain around it down), computed directly, with no share.
        let conditioned = Set(freeDomains + clusters.flatMap(\.domains))
        func alone(_ index: Int) -> Double {
            compiled.domains[index].chain.reduce(0.0) { u, d in
                let info = compiled.domains[d]
                let q = info.held ? 1 : (info.failureRate > 0 ? info.failureRate / (info.failureRate + info.repairRate) : 0)
                return u + (1 - u) * q
            }
        }
        let domains = compiled.domains.enumerated().map { index, info in
            DomainResult(id: info.id, unavailability: conditioned.contains(index) ? figures.domainDownProbability[index] : alone(index),
                         downtimeShare: figures.domainShare[index].isNaN ? nil : (down > 0 ? figures.domainShare[index] / down : 0),
                         isCause: model.domains[index].isCause)
        }
        return AnalysisResult(model: model.name, engine: .markov, metrics: metrics, components: components,
                              domains: domains, chains: chains, notes: notes)
    }
}
