import DequeModule
import Dispatch
import Histogram
import NinesModel
import NinesResults
import NinesSemantics

/// Memory for `count` values on cache lines of its own (128-byte aligned and padded), so two
/// workers' state never shares a line and one core's writes never evict the other's.
func cacheLines<T>(_ type: T.Type, _ count: Int) -> UnsafeMutablePointer<T> {
    let bytes = (max(count * MemoryLayout<T>.stride, 1) + 127) / 128 * 128
    return UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: max(128, MemoryLayout<T>.alignment))
        .bindMemory(to: T.self, capacity: count)
}

/// One worker's simulator (a non-copyable struct, so the event loop's state is accessed without
/// dynamic exclusivity checks): the state of the model's timeline, advanced event by event.
/// A worker runs many replications, each from everything up with its own random stream.
///
/// State lives in manually allocated buffers so the event loop does no reference counting,
/// copy-on-write checks or bounds checks; every index it uses comes from `SimulationModel`.
package struct Simulator: ~Copyable {
    let model: SimulationModel
    let replicas: Int
    let maxModes: Int
    let queue: EventQueue
    var rng = Xoshiro256StarStar(seed: 0)
    let ziggurat = Ziggurat()

    // The model, flattened.
    let replicaComponent: UnsafeMutablePointer<Int32>
    let replicaDomain: UnsafeMutablePointer<Int32>
    let info: UnsafeMutablePointer<SimulationModel.ComponentInfo>
    let modeFailure: UnsafeMutablePointer<Law>
    let modeRepair: UnsafeMutablePointer<Law>
    let domainInfo: UnsafeMutablePointer<SimulationModel.DomainInfo>
    // The model's index tables, copied: two workers reading one Swift array would both
    // retain and release its buffer, and the atomic reference count would bounce between cores.
    let subtreeStart: UnsafeMutablePointer<Int32>
    let subtree: UnsafeMutablePointer<Int32>
    let placedStart: UnsafeMutablePointer<Int32>
    let placed: UnsafeMutablePointer<Int32>
    let hitsStart: UnsafeMutablePointer<Int32>
    let hits: UnsafeMutablePointer<Int32>
    /// Per component: how many active shared causes hit it (its replicas are eligible only at 0).
    let causeBlocked: UnsafeMutablePointer<Int32>
    let dependentsStart: UnsafeMutablePointer<Int32>
    let dependents: UnsafeMutablePointer<Int32>
    let domainCount: Int
    let componentCount: Int
    let entry: Int
    let topologicalOrder: UnsafeMutablePointer<Int32>

    // Replica state.
    let up: UnsafeMutablePointer<Bool>
    let eligible: UnsafeMutablePointer<Bool>
    let speed: UnsafeMutablePointer<Double>
    let stamp: UnsafeMutablePointer<Double>
    let lives: UnsafeMutablePointer<Double>
    let failMode: UnsafeMutablePointer<Int32>
    let modeLosesData: UnsafeMutablePointer<Bool>
    // Domain state.
    let domainFailed: UnsafeMutablePointer<Bool>
    let blockers: UnsafeMutablePointer<Int32>
    // Component state.
    let serving: UnsafeMutablePointer<Int32>
    let ownUp: UnsafeMutablePointer<Bool>
    let componentUp: UnsafeMutablePointer<Bool>
    let upDependencies: UnsafeMutablePointer<Int32>
    let degraded: UnsafeMutablePointer<Bool>
    let phase: UnsafeMutablePointer<Phase>
    let primary: UnsafeMutablePointer<Int32>
    let busyCrews: UnsafeMutablePointer<Int32>
    /// Rate of the failover under way (exponential laws only, for importance sampling).
    let failoverRate: UnsafeMutablePointer<Double>
    /// Replicas down in a mode that destroyed their copy, per component.
    let copiesLost: UnsafeMutablePointer<Int32>
    /// When each standby component's primary last changed.
    let primarySince: UnsafeMutablePointer<Double>
    var repairQueues: [Deque<Int32>]
    var degradedCount = 0
    /// Per journey (``SimulationModel/journeyEntries``): its entry's closure's degraded
    /// components, whether it is up and degraded, and when it last changed.
    var journeyDegradedCount: [Int32] = []
    var journeyUp: [Bool] = []
    var journeyDegraded: [Bool] = []
    var journeyLastChange: [Double] = []
    /// Per failover group (``SimulationModel/groups``): its current alternative (an index into
    /// its list) and phase, and the groups whose alternatives changed during this event.
    var groupCurrent: [Int] = []
    var groupPhase: [StandbyPhase] = []
    var dirtyGroups: [Int32] = []
    var dirtyStandby: [Int32] = []
    /// Active components with async replication whose replicas the current domain event
    /// stops, with how many served before it.
    var writePending: [(component: Int32, before: Int32)] = []
    /// The enabled transitions of the current state (importance sampling only).
    var transitions: [Transition] = []

    /// A component's phase: the shared standby state machine's (active components use
    /// `serving` and `restoring` only).
    typealias Phase = StandbyPhase

    // Measurement.
    var now = 0.0
    /// When to give up, as `DispatchTime` uptime in nanoseconds (`.max`: never); the event loop
    /// reads the clock every 65,536 events, so a bound is honoured even inside one replication.
    var deadline: UInt64 = .max
    /// Whether the last replication or trial was cut short by ``deadline``.
    private(set) var interrupted = false
    var measureStart = 0.0
    var measureEnd = 0.0
    var serviceUp = true
    var serviceDegraded = false
    var lastChange = 0.0
    var outageStart = 0.0
    var result = ReplicationResult()
    var month = Window(length: TimeUnit.month.hours)
    var year = Window(length: TimeUnit.year.hours)
    var slaPeriod: Window
    /// Completed outages' durations (µs), per worker, merged at the end.
    var outageDurations = Histogram<UInt64>(numberOfSignificantValueDigits: .three)
    /// Seconds of writes lost per data-loss event with a known window (µs), per worker.
    var lossWindows = Histogram<UInt64>(numberOfSignificantValueDigits: .three)

    package init(model: SimulationModel, slaPeriod: Double, slaBudgetFraction: Double?, creditTiers: [(below: Double, credit: Double)] = []) {
        self.model = model
        replicas = model.replicaCount
        maxModes = model.maxModes
        queue = EventQueue(entities: model.replicaCount + model.domains.count + model.components.count + model.groups.count)
        func buffer<T>(_ array: [T]) -> UnsafeMutablePointer<T> {
            let pointer = cacheLines(T.self, max(array.count, 1))
            pointer.initialize(from: array, count: array.count)
            return pointer
        }
        func zeroed<T>(_ count: Int, _ value: T) -> UnsafeMutablePointer<T> {
            let pointer = cacheLines(T.self, max(count, 1))
            pointer.initialize(repeating: value, count: max(count, 1))
            return pointer
        }
        replicaComponent = buffer(model.replicaComponent)
        replicaDomain = buffer(model.replicaDomain)
        info = buffer(model.components)
        modeFailure = buffer(model.modeFailure)
        modeRepair = buffer(model.modeRepair)
        modeLosesData = buffer(model.modeLosesData)
        domainInfo = buffer(model.domains)
        subtreeStart = buffer(model.subtreeStart); subtree = buffer(model.subtree)
        placedStart = buffer(model.placedStart); placed = buffer(model.placed)
        hitsStart = buffer(model.hitsStart); hits = buffer(model.hits)
        dependentsStart = buffer(model.dependentsStart); dependents = buffer(model.dependents)
        domainCount = model.domains.count
        componentCount = model.components.count
        entry = Int(model.entry)
        topologicalOrder = buffer(model.topologicalOrder)
        let r = model.replicaCount, d = model.domains.count, c = model.components.count
        up = zeroed(r, true); eligible = zeroed(r, true); speed = zeroed(r, 1.0); stamp = zeroed(r, 0.0)
        lives = zeroed(r * model.maxModes, 0.0); failMode = zeroed(r, Int32(0))
        domainFailed = zeroed(d, false); blockers = zeroed(d, Int32(0))
        serving = zeroed(c, Int32(0)); ownUp = zeroed(c, true); componentUp = zeroed(c, true)
        upDependencies = zeroed(c, Int32(0)); degraded = zeroed(c, false); phase = zeroed(c, Phase.serving)
        primary = zeroed(c, Int32(0)); busyCrews = zeroed(c, Int32(0)); failoverRate = zeroed(c, 0.0)
        copiesLost = zeroed(c, Int32(0)); causeBlocked = zeroed(c, Int32(0))
        primarySince = zeroed(c, 0.0)
        repairQueues = Array(repeating: Deque(), count: c)
        self.slaPeriod = Window(length: slaPeriod)
        if let fraction = slaBudgetFraction { self.slaPeriod.budget = fraction * slaPeriod }
        self.slaPeriod.creditTiers = creditTiers.map { ((1 - $0.below) * slaPeriod, $0.credit) }
        month.downHistogram = Histogram<UInt64>(numberOfSignificantValueDigits: .three)
        year.lossHistogram = Histogram<UInt64>(numberOfSignificantValueDigits: .three)
    }

    deinit {
        for p in [replicaComponent, replicaDomain, failMode, blockers, serving, upDependencies, primary, busyCrews, copiesLost,
                  subtreeStart, subtree, placedStart, placed, hitsStart, hits, causeBlocked,
                  dependentsStart, dependents, topologicalOrder] as [UnsafeMutablePointer<Int32>] {
            p.deallocate()
        }
        for p in [up, eligible, domainFailed, ownUp, componentUp, degraded, modeLosesData] { p.deallocate() }
        for p in [speed, stamp, lives, failoverRate, primarySince] { p.deallocate() }
        info.deallocate(); modeFailure.deallocate(); modeRepair.deallocate(); domainInfo.deallocate(); phase.deallocate()
    }

    var monthDowntime: Histogram<UInt64>? { month.downHistogram }
    var yearDataLoss: Histogram<UInt64>? { year.lossHistogram }

    // MARK: - One replication

    /// Simulates from everything up: `warmup` hours unmeasured, then `horizon` hours measured.
    mutating func run(seed: UInt64, stream: UInt64, warmup: Double, horizon: Double) -> ReplicationResult {
        rng = Xoshiro256StarStar(seed: seed, stream: stream)
        reset()
        measureStart = warmup
        measureEnd = warmup + horizon
        result.hours = horizon
        month.start(measuring: horizon)
        year.start(measuring: horizon)
        slaPeriod.start(measuring: horizon)
        if model.tracksPrimary { result.primaryHours = [Double](repeating: 0, count: replicas) }
        if model.hasDataLoss {
            result.failoverLossesByComponent = [Int](repeating: 0, count: componentCount)
            result.copyLossesByComponent = [Int](repeating: 0, count: componentCount)
            result.writeLossEvents = [Int](repeating: 0, count: model.writeSlotCount)
            result.writeLossSeconds = [Double](repeating: 0, count: model.writeSlotCount)
        }
        let journeys = model.journeyEntries.count
        result.journeyDown = [Double](repeating: 0, count: journeys)
        result.journeyDegraded = [Double](repeating: 0, count: journeys)
        result.journeyOutages = [Int](repeating: 0, count: journeys)
        result.events = advance(until: measureEnd, stop: .never)
        result.interrupted = interrupted
        if lastChange < measureEnd { account(until: measureEnd) }
        for j in 0..<journeys where journeyLastChange[j] < measureEnd { accountJourney(j, until: measureEnd) }
        if model.tracksPrimary {
            for c in 0..<componentCount where info[c].isStandby { creditPrimary(c, until: measureEnd) }
        }
        month.finish(); year.finish(); slaPeriod.finish()
        result.months = month.recorded
        result.monthsWithDowntime = month.withDowntime
        result.years = year.recorded
        result.yearsWithDowntime = year.withDowntime
        result.slaPeriods = slaPeriod.recorded
        result.slaBreaches = slaPeriod.breaches
        result.slaCredits = slaPeriod.credits
        return result
    }

    /// A first-passage trial for MTTDL: from everything up until data is first lost, or
    /// `limit` hours.
    mutating func firstDataLoss(seed: UInt64, stream: UInt64, limit: Double) -> (hours: Double?, reached: Double, events: UInt64) {
        firstPassage(to: .dataLoss, seed: seed, stream: stream, limit: limit)
    }

    /// From everything up, unmeasured, until the first outage or data loss, or `limit` hours.
    mutating func firstPassage(to stop: StopAt, seed: UInt64, stream: UInt64, limit: Double) -> (hours: Double?, reached: Double, events: UInt64) {
        rng = Xoshiro256StarStar(seed: seed, stream: stream)
        reset()
        measureStart = .infinity
        measureEnd = .infinity
        let events = advance(until: limit, stop: stop)
        let first = stop == .outage ? result.firstOutage : result.firstDataLoss
        // A censored trial was watched until its limit, not until its last event; one cut
        // short by the deadline, until then (censoring at a time that does not look ahead).
        return (first, first ?? (interrupted ? now : limit), events)
    }

    /// A first-passage trial for MTTF: from everything up until the service first goes down,
    /// or `limit` hours. Nothing is measured on the way.
    mutating func firstOutage(seed: UInt64, stream: UInt64, limit: Double) -> (hours: Double?, reached: Double, events: UInt64) {
        firstPassage(to: .outage, seed: seed, stream: stream, limit: limit)
    }

    enum StopAt { case never, outage, dataLoss }

    /// The event loop: processes events up to time `end`, or the first outage or data loss.
    mutating func advance(until end: Double, stop: StopAt) -> UInt64 {
        var events: UInt64 = 0
        interrupted = false
        while true {
            let (entity, t) = queue.top
            if t > end { break }
            now = t
            events &+= 1
            if events & 0xFFFF == 0, deadline != .max, DispatchTime.now().uptimeNanoseconds > deadline {
                interrupted = true
                break
            }
            if entity < replicas {
                if up[entity] { replicaFails(entity) } else { replicaRepaired(entity) }
            } else if entity < replicas + domainCount {
                domainEvent(entity - replicas)
            } else if entity < replicas + domainCount + componentCount {
                componentEvent(entity - replicas - domainCount)
            } else {
                groupSwitchEnds(entity - replicas - domainCount - componentCount)
            }
            // Standby components have settled within the event; then the failover groups.
            if !dirtyGroups.isEmpty { settleGroups() }
            if !model.journeyEntries.isEmpty { journeysChanged() }
            let nowUp = componentUp[entry]
            let nowDegraded = nowUp && (model.groups.isEmpty ? degradedCount > 0 : inUseDegraded())
            if nowUp != serviceUp || nowDegraded != serviceDegraded {
                serviceChanged(up: nowUp, degraded: nowDegraded)
                if stop == .outage && !nowUp { break }
            }
            if stop == .dataLoss && result.firstDataLoss != nil { break }
        }
        return events
    }

    mutating func reset() {
        queue.reset()
        now = 0
        result = ReplicationResult()
        serviceUp = true
        serviceDegraded = false
        lastChange = 0
        degradedCount = 0
        groupCurrent = [Int](repeating: 0, count: model.groups.count)
        groupPhase = [StandbyPhase](repeating: .serving, count: model.groups.count)
        dirtyGroups.removeAll(keepingCapacity: true)
        for g in model.groups.indices { queue.schedule(replicas + domainCount + componentCount + g, at: .infinity) }
        let journeys = model.journeyEntries.count
        journeyDegradedCount = [Int32](repeating: 0, count: journeys)
        journeyLastChange = [Double](repeating: 0, count: journeys)
        // Domains held down for good (what-if) start failed and stay so (rule R2).
        var anyHeld = false
        for d in 0..<domainCount {
            domainFailed[d] = domainInfo[d].held
            blockers[d] = 0
            if domainInfo[d].held {
                anyHeld = true
                queue.schedule(replicas + d, at: .infinity)
            } else {
                queue.schedule(replicas + d, at: domainInfo[d].failure.sample(&rng, ziggurat))
            }
        }
        for c in 0..<componentCount { causeBlocked[c] = 0 }
        if anyHeld {
            for d in 0..<domainCount where domainInfo[d].held {
                for i in Int(subtreeStart[d])..<Int(subtreeStart[d + 1]) { blockers[Int(subtree[i])] += 1 }
                for i in Int(hitsStart[d])..<Int(hitsStart[d + 1]) { causeBlocked[Int(hits[i])] += 1 }
            }
        }
        for c in 0..<componentCount {
            serving[c] = 0
            phase[c] = .serving
            primary[c] = info[c].firstReplica
            busyCrews[c] = 0
            copiesLost[c] = 0
            primarySince[c] = 0
            repairQueues[c].removeAll(keepingCapacity: true)
            upDependencies[c] = 0
            degraded[c] = false
        }
        for r in 0..<replicas {
            up[r] = true
            eligible[r] = placeAndCausesUp(r)
            if eligible[r] { serving[Int(replicaComponent[r])] += 1 }
        }
        for c in 0..<componentCount where info[c].isStandby && !eligible[Int(primary[c])] {
            // Start: the lowest eligible replica is primary (replica 0 unless it is held down).
            if let q = lowestEligible(c) { primary[c] = Int32(q) } else { phase[c] = .waiting }
        }
        for r in 0..<replicas {
            let component = info[Int(replicaComponent[r])]
            speed[r] = component.isStandby && Int32(r) != primary[Int(replicaComponent[r])] ? component.standbySpeed : 1
            renew(r)
        }
        for c in 0..<componentCount {
            ownUp[c] = info[c].isStandby ? phase[c] == .serving : serving[c] >= info[c].need
        }
        for i in 0..<componentCount {
            let c = Int(topologicalOrder[i])
            componentUp[c] = ownUp[c] && upDependencies[c] >= info[c].required
            if componentUp[c] {
                for i in Int(dependentsStart[c])..<Int(dependentsStart[c + 1]) {
                    upDependencies[Int(dependents[i])] += 1
                }
            }
            updateDegraded(c)
        }
        if !model.groups.isEmpty {
            // Every group starts on its first alternative; one held down for good moves it at once.
            for g in model.groups.indices { dirtyGroups.append(Int32(g)) }
            settleGroups()
        }
        serviceUp = componentUp[entry]
        serviceDegraded = serviceUp && (model.groups.isEmpty ? degradedCount > 0 : inUseDegraded())
        journeyUp = model.journeyEntries.map { componentUp[Int($0)] }
        journeyDegraded = journeyUp.indices.map {
            journeyUp[$0] && (model.groups.isEmpty ? journeyDegradedCount[$0] > 0 : inUseDegraded(from: Int(model.journeyEntries[$0])))
        }
    }

    /// After an event: each journey whose entry went down or up, or whose degradation
    /// changed, accounts its time since its last change.
    mutating func journeysChanged() {
        for j in journeyUp.indices {
            let entry = Int(model.journeyEntries[j])
            let nowUp = componentUp[entry]
            // With failover groups, what is in use (as for the service); else the entry's closure.
            let nowDegraded = nowUp && (model.groups.isEmpty ? journeyDegradedCount[j] > 0 : inUseDegraded(from: entry))
            guard nowUp != journeyUp[j] || nowDegraded != journeyDegraded[j] else { continue }
            accountJourney(j, until: now)
            if journeyUp[j] && !nowUp && now >= measureStart && now < measureEnd { result.journeyOutages[j] += 1 }
            journeyUp[j] = nowUp
            journeyDegraded[j] = nowDegraded
        }
    }

    /// Adds journey `j`'s time since its last change, clipped to the measurement interval.
    mutating func accountJourney(_ j: Int, until t: Double) {
        let a = max(journeyLastChange[j], measureStart), b = min(t, measureEnd)
        if b > a {
            if !journeyUp[j] { result.journeyDown[j] += b - a } else if journeyDegraded[j] { result.journeyDegraded[j] += b - a }
        }
        journeyLastChange[j] = t
    }

    // MARK: - Measurement

    /// Adds the time since the last change, clipped to the measurement interval.
    mutating func account(until t: Double) {
        let a = max(lastChange, measureStart), b = min(t, measureEnd)
        if b > a {
            if !serviceUp {
                result.down += b - a
                month.addDown(from: a - measureStart, to: b - measureStart)
                year.addDown(from: a - measureStart, to: b - measureStart)
                slaPeriod.addDown(from: a - measureStart, to: b - measureStart)
            } else if serviceDegraded {
                result.degraded += b - a
            }
        }
        lastChange = t
    }

    mutating func serviceChanged(up nowUp: Bool, degraded nowDegraded: Bool) {
        account(until: now)
        if serviceUp && !nowUp {
            if result.firstOutage == nil { result.firstOutage = now }
            if now >= measureStart && now < measureEnd { result.outages += 1 }
            outageStart = now
        } else if !serviceUp && nowUp {
            if outageStart >= measureStart && now <= measureEnd {
                let duration = now - outageStart
                _ = outageDurations.record(Window.micro(duration))
                result.longestOutage = max(result.longestOutage, duration)
            }
        }
        serviceUp = nowUp
        serviceDegraded = nowDegraded
    }
}
