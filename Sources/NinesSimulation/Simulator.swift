import DequeModule
import Histogram
import NinesModel
import NinesResults
import NinesSemantics

/// What one replication measured over its measurement window (after the warm-up).
struct ReplicationResult: Sendable {
    var hours = 0.0
    var down = 0.0
    var degraded = 0.0
    var outages = 0
    var failovers = 0
    var dataLossSeconds = 0.0
    /// Every event processed, warm-up and the run-on for the first outage included.
    var events: UInt64 = 0
    /// When the service first went down, from everything up (warm-up included), if it did.
    var firstOutage: Double?
    var months = 0
    var monthsWithDowntime = 0
    var slaPeriods = 0
    var slaBreaches = 0
    var years = 0
    var yearsWithDowntime = 0
    var longestOutage = 0.0
    /// Data-loss events (async failovers, last copies lost), and of those the unrecoverable ones.
    var dataLossEvents = 0
    var unrecoverableLosses = 0
    /// When data was first lost, from everything up, if it was.
    var firstDataLoss: Double?
    /// Σ over SLA periods of the credit each earned (fraction of its bill).
    var slaCredits = 0.0
    /// Measured hours each replica was primary (standby components; only when traffic is priced).
    var primaryHours: [Double] = []
}

/// A fixed-length window (month, year, SLA period) of the measurement interval, and what
/// happened in it; complete windows are recorded, a trailing partial one is dropped.
package struct Window {
    package let length: Double
    /// Complete windows in the measurement interval.
    var total = 0
    var index = 0
    var down = 0.0
    var loss = 0.0
    package var recorded = 0
    package var withDowntime = 0
    /// Downtime above which a window breaks the SLA (∞ when there is none).
    var budget = Double.infinity
    var breaches = 0
    /// Credit tiers: downtime above which a window earns the credit (fraction of its bill).
    var creditTiers: [(budget: Double, credit: Double)] = []
    var credits = 0.0
    var downHistogram: Histogram<UInt64>?
    var lossHistogram: Histogram<UInt64>?

    package init(length: Double) { self.length = length }

    package mutating func start(measuring hours: Double) {
        total = Int((hours / length + 1e-9).rounded(.down))
        index = 0
        down = 0
        loss = 0
        recorded = 0
        withDowntime = 0
        breaches = 0
        credits = 0
    }

    /// Closes windows up to (not including) `target`.
    mutating func advance(to target: Int) {
        guard target > index, index < total else { return }
        record(down: down, loss: loss, count: 1)
        let skipped = min(target, total) - index - 1
        if skipped > 0 { record(down: 0, loss: 0, count: skipped) }
        index = target
        down = 0
        loss = 0
    }

    private mutating func record(down: Double, loss: Double, count: Int) {
        recorded += count
        if down > 0 { withDowntime += count }
        if down > budget { breaches += count }
        if !creditTiers.isEmpty {
            var credit = 0.0
            for tier in creditTiers where down > tier.budget { credit = max(credit, tier.credit) }
            credits += credit * Double(count)
        }
        _ = downHistogram?.record(Window.micro(down), count: UInt64(count))
        _ = lossHistogram?.record(Window.milli(loss), count: UInt64(count))  // seconds of writes
    }

    /// Downtime over the relative interval [x, y) of the measurement interval.
    package mutating func addDown(from x: Double, to y: Double) {
        var x = x
        while x < y {
            var w = Int(x / length)
            // x / length can round down across a boundary (x = 3 × 0.6667 h): x is then in the next window.
            if Double(w + 1) * length <= x { w += 1 }
            if w >= total { return }
            advance(to: w)
            let end = min(y, Double(w + 1) * length)
            down += end - x
            x = end
        }
    }

    mutating func addLoss(_ seconds: Double, at x: Double) {
        var w = Int(x / length)
        if Double(w + 1) * length <= x { w += 1 }
        if w >= total { return }
        advance(to: w)
        loss += seconds
    }

    package mutating func finish() { advance(to: total) }

    /// Hours as whole microseconds for the histograms, clamped at 10^15 (31.7 years).
    static func micro(_ value: Double) -> UInt64 {
        let scaled = (value * 3_600_000_000).rounded()
        return scaled >= 1e15 ? 1_000_000_000_000_000 : UInt64(max(scaled, 0))
    }

    /// Seconds (of lost writes) as whole milliseconds, clamped likewise (10^15 ms is 31,700
    /// years). HdrHistogram's iteration overflows for values near 2^63, so nothing recorded
    /// comes near them; the means are summed exactly elsewhere.
    static func milli(_ seconds: Double) -> UInt64 {
        let scaled = (seconds * 1000).rounded()
        return scaled >= 1e15 ? 1_000_000_000_000_000 : UInt64(max(scaled, 0))
    }
}

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
    private let model: SimulationModel
    private let replicas: Int
    private let maxModes: Int
    private let queue: EventQueue
    private var rng = Xoshiro256StarStar(seed: 0)
    private let ziggurat = Ziggurat()

    // The model, flattened.
    private let replicaComponent: UnsafeMutablePointer<Int32>
    private let replicaDomain: UnsafeMutablePointer<Int32>
    private let info: UnsafeMutablePointer<SimulationModel.ComponentInfo>
    private let modeFailure: UnsafeMutablePointer<Law>
    private let modeRepair: UnsafeMutablePointer<Law>
    private let domainInfo: UnsafeMutablePointer<SimulationModel.DomainInfo>
    // The model's index tables, copied: two workers reading one Swift array would both
    // retain and release its buffer, and the atomic reference count would bounce between cores.
    private let subtreeStart: UnsafeMutablePointer<Int32>
    private let subtree: UnsafeMutablePointer<Int32>
    private let placedStart: UnsafeMutablePointer<Int32>
    private let placed: UnsafeMutablePointer<Int32>
    private let dependentsStart: UnsafeMutablePointer<Int32>
    private let dependents: UnsafeMutablePointer<Int32>
    private let domainCount: Int
    private let componentCount: Int
    private let entry: Int
    private let topologicalOrder: UnsafeMutablePointer<Int32>

    // Replica state.
    private let up: UnsafeMutablePointer<Bool>
    private let eligible: UnsafeMutablePointer<Bool>
    private let speed: UnsafeMutablePointer<Double>
    private let stamp: UnsafeMutablePointer<Double>
    private let lives: UnsafeMutablePointer<Double>
    private let failMode: UnsafeMutablePointer<Int32>
    private let modeLosesData: UnsafeMutablePointer<Bool>
    // Domain state.
    private let domainFailed: UnsafeMutablePointer<Bool>
    private let blockers: UnsafeMutablePointer<Int32>
    // Component state.
    private let serving: UnsafeMutablePointer<Int32>
    private let ownUp: UnsafeMutablePointer<Bool>
    private let componentUp: UnsafeMutablePointer<Bool>
    private let upDependencies: UnsafeMutablePointer<Int32>
    private let degraded: UnsafeMutablePointer<Bool>
    private let phase: UnsafeMutablePointer<Phase>
    private let primary: UnsafeMutablePointer<Int32>
    private let busyCrews: UnsafeMutablePointer<Int32>
    /// Rate of the failover under way (exponential laws only, for importance sampling).
    private let failoverRate: UnsafeMutablePointer<Double>
    /// Replicas down in a mode that destroyed their copy, per component.
    private let copiesLost: UnsafeMutablePointer<Int32>
    /// When each standby component's primary last changed.
    private let primarySince: UnsafeMutablePointer<Double>
    private var repairQueues: [Deque<Int32>]
    private var degradedCount = 0
    private var dirtyStandby: [Int32] = []
    /// The enabled transitions of the current state (importance sampling only).
    private var transitions: [Transition] = []

    /// A component's phase: the shared standby state machine's (active components use
    /// `serving` and `restoring` only).
    private typealias Phase = StandbyPhase

    // Measurement.
    private var now = 0.0
    private var measureStart = 0.0
    private var measureEnd = 0.0
    private var serviceUp = true
    private var serviceDegraded = false
    private var lastChange = 0.0
    private var outageStart = 0.0
    private var result = ReplicationResult()
    private var month = Window(length: TimeUnit.month.hours)
    private var year = Window(length: TimeUnit.year.hours)
    private var slaPeriod: Window
    /// Completed outages' durations (µs), per worker, merged at the end.
    var outageDurations = Histogram<UInt64>(numberOfSignificantValueDigits: .three)
    /// Seconds of writes lost per data-loss event with a known window (µs), per worker.
    var lossWindows = Histogram<UInt64>(numberOfSignificantValueDigits: .three)

    package init(model: SimulationModel, slaPeriod: Double, slaBudgetFraction: Double?, creditTiers: [(below: Double, credit: Double)] = []) {
        self.model = model
        replicas = model.replicaCount
        maxModes = model.maxModes
        queue = EventQueue(entities: model.replicaCount + model.domains.count + model.components.count)
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
        copiesLost = zeroed(c, Int32(0))
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
                  subtreeStart, subtree, placedStart, placed, dependentsStart, dependents, topologicalOrder] as [UnsafeMutablePointer<Int32>] {
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
        result.events = advance(until: measureEnd, stop: .never)
        if lastChange < measureEnd { account(until: measureEnd) }
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
    private mutating func firstPassage(to stop: StopAt, seed: UInt64, stream: UInt64, limit: Double) -> (hours: Double?, reached: Double, events: UInt64) {
        rng = Xoshiro256StarStar(seed: seed, stream: stream)
        reset()
        measureStart = .infinity
        measureEnd = .infinity
        let events = advance(until: limit, stop: stop)
        let first = stop == .outage ? result.firstOutage : result.firstDataLoss
        // A censored trial was watched until its limit, not until its last event.
        return (first, first ?? limit, events)
    }

    /// A first-passage trial for MTTF: from everything up until the service first goes down,
    /// or `limit` hours. Nothing is measured on the way.
    mutating func firstOutage(seed: UInt64, stream: UInt64, limit: Double) -> (hours: Double?, reached: Double, events: UInt64) {
        firstPassage(to: .outage, seed: seed, stream: stream, limit: limit)
    }

    enum StopAt { case never, outage, dataLoss }

    /// The event loop: processes events up to time `end`, or the first outage or data loss.
    private mutating func advance(until end: Double, stop: StopAt) -> UInt64 {
        var events: UInt64 = 0
        while true {
            let (entity, t) = queue.top
            if t > end { break }
            now = t
            events &+= 1
            if entity < replicas {
                if up[entity] { replicaFails(entity) } else { replicaRepaired(entity) }
            } else if entity < replicas + domainCount {
                domainEvent(entity - replicas)
            } else {
                componentEvent(entity - replicas - domainCount)
            }
            let nowUp = componentUp[entry]
            let nowDegraded = nowUp && degradedCount > 0
            if nowUp != serviceUp || nowDegraded != serviceDegraded {
                serviceChanged(up: nowUp, degraded: nowDegraded)
                if stop == .outage && !nowUp { break }
            }
            if stop == .dataLoss && result.firstDataLoss != nil { break }
        }
        return events
    }

    private mutating func reset() {
        queue.reset()
        now = 0
        result = ReplicationResult()
        serviceUp = true
        serviceDegraded = false
        lastChange = 0
        degradedCount = 0
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
        if anyHeld {
            for d in 0..<domainCount where domainInfo[d].held {
                for i in Int(subtreeStart[d])..<Int(subtreeStart[d + 1]) { blockers[Int(subtree[i])] += 1 }
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
            let d = replicaDomain[r]
            eligible[r] = d < 0 || blockers[Int(d)] == 0
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
        serviceUp = componentUp[entry]
        serviceDegraded = serviceUp && degradedCount > 0
    }

    // MARK: - Replicas

    /// A repaired (or new) replica: every mode's clock starts afresh.
    @inline(__always)
    private mutating func renew(_ r: Int) {
        let c = Int(replicaComponent[r])
        let first = Int(info[c].firstMode), count = Int(info[c].modeCount)
        let base = r * maxModes
        for k in 0..<count { lives[base + k] = modeFailure[first + k].sample(&rng, ziggurat) }
        stamp[r] = now
        scheduleFailure(r, modes: count)
    }

    /// Schedules the failure of up replica `r` from its remaining lives and clock speed.
    @inline(__always)
    private mutating func scheduleFailure(_ r: Int, modes count: Int) {
        guard count > 0, speed[r] > 0 else {
            queue.schedule(r, at: .infinity)
            return
        }
        let base = r * maxModes
        var best = lives[base]
        var mode = 0
        var k = 1
        while k < count {
            if lives[base + k] < best { best = lives[base + k]; mode = k }
            k += 1
        }
        failMode[r] = Int32(mode)
        queue.schedule(r, at: stamp[r] + best / speed[r])
    }

    /// Changes the failure-clock speed of replica `r` (a standby becoming primary or back).
    private mutating func setSpeed(_ r: Int, _ newSpeed: Double) {
        guard speed[r] != newSpeed else { return }
        if up[r] {
            let count = Int(info[Int(replicaComponent[r])].modeCount)
            let used = (now - stamp[r]) * speed[r]
            let base = r * maxModes
            for k in 0..<count { lives[base + k] -= used }
            stamp[r] = now
            speed[r] = newSpeed
            scheduleFailure(r, modes: count)
        } else {
            speed[r] = newSpeed
        }
    }

    private mutating func replicaFails(_ r: Int) {
        up[r] = false
        let c = Int(replicaComponent[r])
        let crews = info[c].crews
        if crews > 0 && busyCrews[c] >= crews {
            repairQueues[c].append(Int32(r))
            queue.schedule(r, at: .infinity)
        } else {
            busyCrews[c] += 1
            startRepair(r, c)
        }
        if eligible[r] {
            eligible[r] = false
            serving[c] -= 1
            eligibilityChanged(c)
        }
        if info[c].losesData && modeLosesData[Int(info[c].firstMode) + Int(failMode[r])] {
            copiesLost[c] += 1
            // Fewer than `need` copies left, no restore under way: the data is lost.
            if phase[c] != .restoring && info[c].replicaCount - copiesLost[c] == info[c].need - 1 { lastCopiesLost(c) }
        }
    }

    /// The data of component `c` is lost: counted, and restored from backup if there is one.
    private mutating func lastCopiesLost(_ c: Int) {
        let component = info[c]
        if result.firstDataLoss == nil { result.firstDataLoss = now }
        let measuring = now >= measureStart && now < measureEnd
        if measuring { result.dataLossEvents += 1 }
        guard component.hasBackup else {
            if measuring { result.unrecoverableLosses += 1 }
            return
        }
        if measuring {
            // The writes since the last backup: uniform over the interval between backups.
            let seconds = rng.uniformOpen() * component.backupEvery * 3600
            result.dataLossSeconds += seconds
            year.addLoss(seconds, at: now - measureStart)
            _ = lossWindows.record(Window.milli(seconds))
        }
        // The restore holds every replica until it rebuilds them all.
        let first = Int(component.firstReplica)
        for r in first..<(first + Int(component.replicaCount)) {
            up[r] = false
            eligible[r] = false
            queue.schedule(r, at: .infinity)
        }
        serving[c] = 0
        copiesLost[c] = 0
        busyCrews[c] = 0
        repairQueues[c].removeAll(keepingCapacity: true)
        phase[c] = StandbyRules.copiesLost(standbyState(c)).phase      // rule L2, for active components too
        queue.schedule(replicas + domainCount + c, at: now + component.restore.sample(&rng, ziggurat))
        ownUp[c] = false
        refresh(c)
    }

    /// The restore from backup ends: every replica is rebuilt and up.
    private mutating func restoreEnds(_ c: Int) {
        queue.schedule(replicas + domainCount + c, at: .infinity)
        let component = info[c]
        let first = Int(component.firstReplica)
        for r in first..<(first + Int(component.replicaCount)) {
            up[r] = true
            renew(r)
            let d = replicaDomain[r]
            if d < 0 || blockers[Int(d)] == 0 {
                eligible[r] = true
                serving[c] += 1
            }
        }
        phase[c] = StandbyRules.restoreEnds(standbyState(c)).phase
        if component.isStandby {
            // The primary serves again, or a failover starts if its domain is down (rule S2).
            reconcileStandby(c)
        } else {
            eligibilityChanged(c)
        }
    }

    /// A component's own event: the end of a failover or of a restore.
    private mutating func componentEvent(_ c: Int) {
        if phase[c] == .restoring { restoreEnds(c) } else { failoverEnds(c) }
    }

    @inline(__always)
    private mutating func startRepair(_ r: Int, _ c: Int) {
        let law = modeRepair[Int(info[c].firstMode) + Int(failMode[r])]
        queue.schedule(r, at: now + law.sample(&rng, ziggurat))
    }

    private mutating func replicaRepaired(_ r: Int) {
        up[r] = true
        let c = Int(replicaComponent[r])
        if info[c].losesData && modeLosesData[Int(info[c].firstMode) + Int(failMode[r])] { copiesLost[c] -= 1 }
        renew(r)
        busyCrews[c] -= 1
        if info[c].crews > 0, let next = repairQueues[c].popFirst() {
            busyCrews[c] += 1
            startRepair(Int(next), c)
        }
        let d = replicaDomain[r]
        if d < 0 || blockers[Int(d)] == 0 {
            eligible[r] = true
            serving[c] += 1
            eligibilityChanged(c)
        }
    }

    // MARK: - Domains

    private mutating func domainEvent(_ d: Int) {
        let failing = !domainFailed[d]
        domainFailed[d] = failing
        let law = failing ? domainInfo[d].repair : domainInfo[d].failure
        queue.schedule(replicas + d, at: now + law.sample(&rng, ziggurat))
        dirtyStandby.removeAll(keepingCapacity: true)
        let start = Int(subtreeStart[d]), end = Int(subtreeStart[d + 1])
        for i in start..<end {
            let e = Int(subtree[i])
            let before = blockers[e]
            blockers[e] += failing ? 1 : -1
            // Only a domain that changes between up and down moves its replicas.
            guard (before == 0) != (blockers[e] == 0) else { continue }
            for j in Int(placedStart[e])..<Int(placedStart[e + 1]) {
                let r = Int(placed[j])
                guard up[r] else { continue }
                let c = Int(replicaComponent[r])
                eligible[r] = !failing
                serving[c] += failing ? -1 : 1
                if info[c].isStandby {
                    if !dirtyStandby.contains(Int32(c)) { dirtyStandby.append(Int32(c)) }
                } else {
                    eligibilityChanged(c)
                }
            }
        }
        // Standby components see all of a domain's replicas change at the same instant.
        dirtyStandby.sort()
        for c in dirtyStandby { reconcileStandby(Int(c)) }
    }

    // MARK: - Components

    @inline(__always)
    private mutating func eligibilityChanged(_ c: Int) {
        if info[c].isStandby {
            reconcileStandby(c)
        } else {
            let newOwn = serving[c] >= info[c].need
            if newOwn != ownUp[c] {
                ownUp[c] = newOwn
                refresh(c)
            } else {
                updateDegraded(c)
            }
        }
    }

    /// The standby state of component `c` (the primary as a global replica index).
    @inline(__always)
    private func standbyState(_ c: Int) -> StandbyState { StandbyState(primary: Int(primary[c]), phase: phase[c]) }

    /// The lowest-numbered eligible replica of `c` (a global index), if any.
    private func lowestEligible(_ c: Int) -> Int? {
        guard serving[c] > 0 else { return nil }
        let first = Int(info[c].firstReplica), end = first + Int(info[c].replicaCount)
        var q = first
        while q < end && !eligible[q] { q += 1 }
        return q < end ? q : nil
    }

    /// Rules S2 and S4 (``StandbyRules``), applied after eligibility changed.
    private mutating func reconcileStandby(_ c: Int) {
        let component = info[c]
        let state = standbyState(c)
        switch StandbyRules.settle(state, primaryEligible: eligible[Int(primary[c])], lowestEligible: lowestEligible(c)) {
        case .unchanged: break
        case .step(let step): apply(step, c, component)
        case .failoverStarts(let target): startFailover(c, component, state, to: target)
        }
        ownUp[c] = phase[c] == .serving
        refresh(c)
    }

    /// Rule S2: draws whether the failover is automatic (probability `coverage`) and how long
    /// it lasts; one that takes no time is over at once.
    private mutating func startFailover(_ c: Int, _ component: SimulationModel.ComponentInfo, _ state: StandbyState, to target: Int) {
        let automatic = component.coverage >= 1 || rng.uniformOpen() < component.coverage
        let duration: Double
        if automatic {
            duration = component.detect.sample(&rng, ziggurat) + component.switchover.sample(&rng, ziggurat)
            failoverRate[c] = 1 / (component.detect.mean + component.switchover.mean)
        } else {
            duration = component.manual.sample(&rng, ziggurat)
            failoverRate[c] = 1 / component.manual.mean
        }
        apply(StandbyRules.beginFailover(state, automatic: automatic, takesTime: duration > 0, to: target), c, component)
        if phase[c].isFailingOver { queue.schedule(replicas + domainCount + c, at: now + duration) }
    }

    /// Rule S3: the failover under way ends.
    private mutating func failoverEnds(_ c: Int) {
        queue.schedule(replicas + domainCount + c, at: .infinity)
        apply(StandbyRules.failoverEnds(standbyState(c), lowestEligible: lowestEligible(c)), c, info[c])
        ownUp[c] = phase[c] == .serving
        refresh(c)
    }

    /// Applies a step of the standby state machine: a new primary takes the full failure
    /// rate and the old one the standby rate, and rule S5 counts the failover and the writes
    /// it loses.
    private mutating func apply(_ step: StandbyStep, _ c: Int, _ component: SimulationModel.ComponentInfo) {
        phase[c] = step.next.phase
        guard step.failover else { return }
        let p = Int(primary[c]), q = step.next.primary
        if model.tracksPrimary { creditPrimary(c, until: now) }
        primary[c] = Int32(q)
        setSpeed(p, component.standbySpeed)
        setSpeed(q, 1)
        if component.lagSeconds > 0 && result.firstDataLoss == nil { result.firstDataLoss = now }
        if now >= measureStart && now < measureEnd {
            result.failovers += 1
            if component.lagSeconds > 0 {
                result.dataLossSeconds += component.lagSeconds
                result.dataLossEvents += 1
                year.addLoss(component.lagSeconds, at: now - measureStart)
                _ = lossWindows.record(Window.milli(component.lagSeconds))
            }
        }
    }

    /// Adds the measured time since the primary of `c` last changed to that replica's share.
    private mutating func creditPrimary(_ c: Int, until t: Double) {
        let a = max(primarySince[c], measureStart), b = min(t, measureEnd)
        if b > a, !result.primaryHours.isEmpty { result.primaryHours[Int(primary[c])] += b - a }
        primarySince[c] = t
    }

    /// Recomputes whether component `c` is up and degraded, and passes a change on to the
    /// components that depend on it.
    private mutating func refresh(_ c: Int) {
        let newUp = ownUp[c] && upDependencies[c] >= info[c].required
        if newUp != componentUp[c] {
            componentUp[c] = newUp
            let delta: Int32 = newUp ? 1 : -1
            let start = Int(dependentsStart[c]), end = Int(dependentsStart[c + 1])
            for i in start..<end {
                let p = Int(dependents[i])
                upDependencies[p] += delta
                refresh(p)
            }
        }
        updateDegraded(c)
    }

    @inline(__always)
    private mutating func updateDegraded(_ c: Int) {
        let isDegraded = info[c].inClosure && !info[c].isStandby && componentUp[c] && serving[c] < info[c].full
        if isDegraded != degraded[c] {
            degraded[c] = isDegraded
            degradedCount += isDegraded ? 1 : -1
        }
    }

    // MARK: - Measurement

    /// Adds the time since the last change, clipped to the measurement interval.
    private mutating func account(until t: Double) {
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

    private mutating func serviceChanged(up nowUp: Bool, degraded nowDegraded: Bool) {
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

// MARK: - Importance sampling (exponential laws)

/// A transition enabled in the current state, for the embedded jump chain.
struct Transition {
    enum Kind { case replicaFailure, replicaRepair, domain, failoverEnd, restoreEnd }
    var kind: Kind
    var index: Int
    var mode: Int
    var rate: Double
}

/// One regenerative cycle's contribution: from everything up (replica 0 of each standby
/// component primary) back to it.
struct CycleResult: Sendable {
    /// Σ L·h(x)·1{down}: expected time down, weighted by the likelihood ratio.
    var down = 0.0
    /// Σ L·1{up→down}.
    var outages = 0.0
    /// Σ h(x): the cycle's expected length (meaningful unbiased only).
    var length = 0.0
    var steps: UInt64 = 0
    /// Whether the cycle hit the step limit before regenerating.
    var truncated = false
}

extension Simulator {
    /// Whether the state is the regeneration state: every replica and domain up, every
    /// standby component served by its replica 0, no failover under way.
    private func regenerated() -> Bool {
        for r in 0..<replicas where !up[r] { return false }
        for d in 0..<domainCount where domainFailed[d] { return false }
        for c in 0..<componentCount where info[c].isStandby {
            if phase[c] != .serving || primary[c] != info[c].firstReplica { return false }
        }
        return true
    }

    /// Starts a block of cycles from everything up with its own stream.
    mutating func startCycles(seed: UInt64, stream: UInt64) {
        rng = Xoshiro256StarStar(seed: seed, stream: stream)
        reset()
        measureStart = .infinity
        measureEnd = .infinity
    }

    /// One regenerative cycle of the embedded jump chain, holding times replaced by their
    /// means (1/q(x), a variance reduction). With `bias` θ, balanced failure biasing
    /// (Shahabuddin 1994): outside the regeneration state, a failure is chosen with
    /// probability θ, uniformly among the possible failures, and a repair with probability
    /// 1 − θ in proportion to the repair rates; the likelihood ratio L corrects every step.
    /// Exact for models whose laws are all exponential.
    mutating func cycle(bias: Double?, stepLimit: UInt64) -> CycleResult {
        var out = CycleResult()
        var likelihood = 1.0
        var wasUp = componentUp[entry]
        repeat {
            let failureCount = enumerateTransitions()
            let failures = transitions[..<failureCount], repairs = transitions[failureCount...]
            let failureTotal = failures.reduce(0) { $0 + $1.rate }
            let repairTotal = repairs.reduce(0) { $0 + $1.rate }
            let total = failureTotal + repairTotal
            guard total > 0 else { out.truncated = true; return out }
            let holding = 1 / total
            out.length += holding
            if !wasUp { out.down += likelihood * holding }

            // Choose the transition.
            let biased = bias != nil && !failures.isEmpty && repairTotal > 0 && out.steps > 0
            let chosen: Transition
            if biased, let theta = bias {
                if rng.uniformOpen() < theta {
                    chosen = failures[min(Int(rng.uniformOpen() * Double(failures.count)), failures.count - 1) + failures.startIndex]
                    likelihood *= (chosen.rate / total) / (theta / Double(failures.count))
                } else {
                    chosen = Self.pick(rng.uniformOpen() * repairTotal, in: repairs)
                    likelihood *= (chosen.rate / total) / ((1 - theta) * chosen.rate / repairTotal)
                }
            } else {
                let u = rng.uniformOpen() * total
                chosen = u < failureTotal ? Self.pick(u, in: failures) : Self.pick(u - failureTotal, in: repairs)
            }
            fire(chosen)
            out.steps += 1
            let nowUp = componentUp[entry]
            if wasUp && !nowUp { out.outages += likelihood }
            wasUp = nowUp
            now += holding
        } while !regenerated() && out.steps < stepLimit
        if out.steps >= stepLimit && !regenerated() { out.truncated = true }
        return out
    }

    /// The transition at `point` of the cumulative rates of `list`; the last one when
    /// rounding leaves the point past the end.
    private static func pick(_ point: Double, in list: ArraySlice<Transition>) -> Transition {
        var remaining = point
        for transition in list {
            if remaining < transition.rate { return transition }
            remaining -= transition.rate
        }
        return list[list.endIndex - 1]
    }

    /// Every transition enabled in the current state into `transitions`, failures first
    /// (replica modes, then domains), then repairs (replica repairs, domain repairs, failovers
    /// ending). Returns how many are failures.
    private mutating func enumerateTransitions() -> Int {
        transitions.removeAll(keepingCapacity: true)
        for r in 0..<replicas where up[r] && speed[r] > 0 {
            let c = Int(replicaComponent[r])
            for k in 0..<Int(info[c].modeCount) {
                transitions.append(Transition(kind: .replicaFailure, index: r, mode: k,
                                              rate: speed[r] / modeFailure[Int(info[c].firstMode) + k].mean))
            }
        }
        for d in 0..<domainCount where !domainFailed[d] && domainInfo[d].failure.kind != .never {
            transitions.append(Transition(kind: .domain, index: d, mode: 0, rate: 1 / domainInfo[d].failure.mean))
        }
        let failureCount = transitions.count
        for r in 0..<replicas where !up[r] && queue.time(of: r).isFinite {
            let c = Int(replicaComponent[r])
            transitions.append(Transition(kind: .replicaRepair, index: r, mode: 0,
                                          rate: 1 / modeRepair[Int(info[c].firstMode) + Int(failMode[r])].mean))
        }
        for d in 0..<domainCount where domainFailed[d] {
            transitions.append(Transition(kind: .domain, index: d, mode: 0, rate: 1 / domainInfo[d].repair.mean))
        }
        for c in 0..<componentCount where info[c].isStandby && phase[c].isFailingOver {
            transitions.append(Transition(kind: .failoverEnd, index: c, mode: 0, rate: failoverRate[c]))
        }
        for c in 0..<componentCount where phase[c] == .restoring {
            transitions.append(Transition(kind: .restoreEnd, index: c, mode: 0, rate: 1 / info[c].restore.mean))
        }
        return failureCount
    }

    private mutating func fire(_ t: Transition) {
        switch t.kind {
        case .replicaFailure:
            failMode[t.index] = Int32(t.mode)
            replicaFails(t.index)
        case .replicaRepair: replicaRepaired(t.index)
        case .domain: domainEvent(t.index)
        case .failoverEnd: failoverEnds(t.index)
        case .restoreEnd: restoreEnds(t.index)
        }
    }

}

// MARK: - Probes: the event loop one event at a time, for the tests that hold this
// specialised copy of the shared rules to the reference

/// An event the simulator processed.
package enum ProbeEvent: Sendable, Hashable {
    case replicaFails(Int)
    case replicaRepaired(Int)
    case domainChanges(Int)
    /// A failover or a restore from backup ends.
    case componentTimer(Int)
}

/// What the simulator's incremental state says, in the model's terms.
package struct ProbeSnapshot: Sendable, Hashable {
    /// Per component, per replica.
    package var replicaUp: [[Bool]]
    package var replicaEligible: [[Bool]]
    /// Per domain: failed by itself.
    package var domainFailed: [Bool]
    /// Per component: up (its replicas' condition and its gate).
    package var componentUp: [Bool]
    /// Per standby component: its state, the primary counted from 0 within the component.
    package var standby: [StandbyState?]
    package var serviceUp: Bool
    package var serviceDegraded: Bool
}

extension Simulator {
    /// Starts a probe from everything up with its own stream; nothing is measured.
    package mutating func probeStart(seed: UInt64) { startCycles(seed: seed, stream: 0) }

    /// Processes the next event of the timeline, if any is scheduled, and returns it.
    package mutating func probeStep() -> ProbeEvent? {
        let (entity, t) = queue.top
        guard t.isFinite else { return nil }
        now = t
        let event: ProbeEvent
        if entity < replicas {
            event = up[entity] ? .replicaFails(entity) : .replicaRepaired(entity)
            if up[entity] { replicaFails(entity) } else { replicaRepaired(entity) }
        } else if entity < replicas + domainCount {
            event = .domainChanges(entity - replicas)
            domainEvent(entity - replicas)
        } else {
            event = .componentTimer(entity - replicas - domainCount)
            componentEvent(entity - replicas - domainCount)
        }
        return event
    }

    /// The state after the last event.
    package var probeSnapshot: ProbeSnapshot {
        var replicaUp: [[Bool]] = [], replicaEligible: [[Bool]] = [], standby: [StandbyState?] = []
        for c in 0..<componentCount {
            let first = Int(info[c].firstReplica), range = first..<(first + Int(info[c].replicaCount))
            replicaUp.append(range.map { up[$0] })
            replicaEligible.append(range.map { eligible[$0] })
            standby.append(info[c].isStandby ? StandbyState(primary: Int(primary[c]) - first, phase: phase[c]) : nil)
        }
        return ProbeSnapshot(
            replicaUp: replicaUp, replicaEligible: replicaEligible, domainFailed: (0..<domainCount).map { domainFailed[$0] },
            componentUp: (0..<componentCount).map { componentUp[$0] }, standby: standby,
            serviceUp: componentUp[entry], serviceDegraded: componentUp[entry] && degradedCount > 0)
    }
}
