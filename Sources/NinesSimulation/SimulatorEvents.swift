import DequeModule
import Histogram
import NinesModel
import NinesResults
import NinesSemantics

/// The simulator's events: replicas failing and repaired, domains failing and recovering,
/// failovers and restores ending, and how each passes on to the components (rules R1–R2,
/// A1, S1–S5, C2–C4; the standby rules through ``StandbyRules``).
extension Simulator {
    // MARK: - Replicas

    /// A repaired (or new) replica: every mode's clock starts afresh.
    @inline(__always)
    mutating func renew(_ r: Int) {
        let c = Int(replicaComponent[r])
        let first = Int(info[c].firstMode), count = Int(info[c].modeCount)
        let base = r * maxModes
        for k in 0..<count { lives[base + k] = modeFailure[first + k].sample(&rng, ziggurat) }
        stamp[r] = now
        scheduleFailure(r, modes: count)
    }

    /// Schedules the failure of up replica `r` from its remaining lives and clock speed.
    @inline(__always)
    mutating func scheduleFailure(_ r: Int, modes count: Int) {
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
    mutating func setSpeed(_ r: Int, _ newSpeed: Double) {
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

    mutating func replicaFails(_ r: Int) {
        up[r] = false
        let c = Int(replicaComponent[r])
        let servingBefore = serving[c]
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
            if phase[c] != .restoring && info[c].replicaCount - copiesLost[c] == info[c].copiesNeeded - 1 { lastCopiesLost(c) }
        }
        // The failed replica stopped serving (and, with a restore, every other one at once).
        if info[c].activeLagSeconds > 0 { writesLost(c, stopped: servingBefore - serving[c], of: servingBefore, trigger: nil) }
    }

    /// `stopped` of the `of` serving replicas of active component `c` stopped at once: the
    /// writes they had not copied are lost, lag × stopped / of ("Writes lost by active components").
    mutating func writesLost(_ c: Int, stopped k: Int32, of s: Int32, trigger: Int?) {
        guard k > 0, s > 0 else { return }
        if result.firstDataLoss == nil { result.firstDataLoss = now }
        guard now >= measureStart && now < measureEnd else { return }
        let seconds = info[c].activeLagSeconds * Double(k) / Double(s)
        result.dataLossSeconds += seconds
        result.dataLossEvents += 1
        if let slot = model.writeSlot[SimulationModel.writeKey(c, trigger)] {
            result.writeLossEvents[slot] += 1
            result.writeLossSeconds[slot] += seconds
        }
        if model.pricesDataLoss { result.pricedLoss += seconds * info[c].lossPrice }
        year.addLoss(seconds, at: now - measureStart)
        _ = lossWindows.record(Window.milli(seconds))
    }

    /// The data of component `c` is lost: counted, and restored from backup if there is one.
    mutating func lastCopiesLost(_ c: Int) {
        let component = info[c]
        if result.firstDataLoss == nil { result.firstDataLoss = now }
        let measuring = now >= measureStart && now < measureEnd
        if measuring {
            result.dataLossEvents += 1
            result.copyLossesByComponent[c] += 1
        }
        guard component.hasBackup else {
            if measuring { result.unrecoverableLosses += 1 }
            return
        }
        if measuring {
            // The writes since the last backup: uniform over the interval between backups.
            let seconds = rng.uniformOpen() * component.backupEvery * 3600
            result.dataLossSeconds += seconds
            if model.pricesDataLoss { result.pricedLoss += seconds * component.lossPrice }
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
    mutating func restoreEnds(_ c: Int) {
        queue.schedule(replicas + domainCount + c, at: .infinity)
        let component = info[c]
        let first = Int(component.firstReplica)
        for r in first..<(first + Int(component.replicaCount)) {
            up[r] = true
            renew(r)
            if placeAndCausesUp(r) {
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
    mutating func componentEvent(_ c: Int) {
        if phase[c] == .restoring { restoreEnds(c) } else { failoverEnds(c) }
    }

    @inline(__always)
    mutating func startRepair(_ r: Int, _ c: Int) {
        let law = modeRepair[Int(info[c].firstMode) + Int(failMode[r])]
        queue.schedule(r, at: now + law.sample(&rng, ziggurat))
    }

    mutating func replicaRepaired(_ r: Int) {
        up[r] = true
        let c = Int(replicaComponent[r])
        if info[c].losesData && modeLosesData[Int(info[c].firstMode) + Int(failMode[r])] { copiesLost[c] -= 1 }
        renew(r)
        busyCrews[c] -= 1
        if info[c].crews > 0, let next = repairQueues[c].popFirst() {
            busyCrews[c] += 1
            startRepair(Int(next), c)
        }
        if placeAndCausesUp(r) {
            eligible[r] = true
            serving[c] += 1
            eligibilityChanged(c)
        }
    }

    /// Whether replica `r`'s domain and every domain around it are up and no shared cause
    /// hitting its component is active: eligible, when it is up (rule R2).
    @inline(__always)
    func placeAndCausesUp(_ r: Int) -> Bool {
        let d = replicaDomain[r]
        return (d < 0 || blockers[Int(d)] == 0) && causeBlocked[Int(replicaComponent[r])] == 0
    }

    // MARK: - Domains

    mutating func domainEvent(_ d: Int) {
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
                let c = Int(replicaComponent[r])
                // A replica held out by an active cause stays ineligible whatever its domain does.
                guard up[r], causeBlocked[c] == 0 else { continue }
                if failing && info[c].activeLagSeconds > 0 { noteServing(c) }
                eligible[r] = !failing
                serving[c] += failing ? -1 : 1
                if info[c].isStandby {
                    if !dirtyStandby.contains(Int32(c)) { dirtyStandby.append(Int32(c)) }
                } else {
                    eligibilityChanged(c)
                }
            }
        }
        // A shared cause: every replica of each component it hits, wherever it lives.
        for i in Int(hitsStart[d])..<Int(hitsStart[d + 1]) {
            let c = Int(hits[i])
            let before = causeBlocked[c]
            causeBlocked[c] += failing ? 1 : -1
            guard (before == 0) != (causeBlocked[c] == 0) else { continue }
            let first = Int(info[c].firstReplica)
            var changed = false
            for r in first..<(first + Int(info[c].replicaCount)) {
                let place = replicaDomain[r]
                guard up[r], place < 0 || blockers[Int(place)] == 0 else { continue }
                if failing && info[c].activeLagSeconds > 0 { noteServing(c) }
                eligible[r] = !failing
                serving[c] += failing ? -1 : 1
                changed = true
            }
            guard changed else { continue }
            if info[c].isStandby {
                if !dirtyStandby.contains(Int32(c)) { dirtyStandby.append(Int32(c)) }
            } else {
                eligibilityChanged(c)
            }
        }
        // Active components with async replication lose what the replicas stopped at this instant had not copied.
        for (c, before) in writePending { writesLost(Int(c), stopped: before - serving[Int(c)], of: before, trigger: d) }
        writePending.removeAll(keepingCapacity: true)
        // Standby components see all of a domain's replicas change at the same instant.
        dirtyStandby.sort()
        for c in dirtyStandby { reconcileStandby(Int(c)) }
    }

    // MARK: - Components

    @inline(__always)
    mutating func eligibilityChanged(_ c: Int) {
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
    func standbyState(_ c: Int) -> StandbyState { StandbyState(primary: Int(primary[c]), phase: phase[c]) }

    /// Records, once per event, how many replicas of `c` served before the event stopped some.
    @inline(__always)
    mutating func noteServing(_ c: Int) {
        if !writePending.contains(where: { $0.component == Int32(c) }) { writePending.append((Int32(c), serving[c])) }
    }

    /// The lowest-numbered eligible replica of `c` (a global index), if any.
    func lowestEligible(_ c: Int) -> Int? {
        guard serving[c] > 0 else { return nil }
        let first = Int(info[c].firstReplica), end = first + Int(info[c].replicaCount)
        var q = first
        while q < end && !eligible[q] { q += 1 }
        return q < end ? q : nil
    }

    /// Rules S2 and S4 (``StandbyRules``), applied after eligibility changed.
    mutating func reconcileStandby(_ c: Int) {
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
    mutating func startFailover(_ c: Int, _ component: SimulationModel.ComponentInfo, _ state: StandbyState, to target: Int) {
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
    mutating func failoverEnds(_ c: Int) {
        queue.schedule(replicas + domainCount + c, at: .infinity)
        apply(StandbyRules.failoverEnds(standbyState(c), lowestEligible: lowestEligible(c)), c, info[c])
        ownUp[c] = phase[c] == .serving
        refresh(c)
    }

    /// Applies a step of the standby state machine: a new primary takes the full failure
    /// rate and the old one the standby rate, and rule S5 counts the failover and the writes
    /// it loses.
    mutating func apply(_ step: StandbyStep, _ c: Int, _ component: SimulationModel.ComponentInfo) {
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
                if model.pricesDataLoss { result.pricedLoss += component.lagSeconds * component.lossPrice }
                result.dataLossEvents += 1
                result.failoverLossesByComponent[c] += 1
                year.addLoss(component.lagSeconds, at: now - measureStart)
                _ = lossWindows.record(Window.milli(component.lagSeconds))
            }
        }
    }

    /// Adds the measured time since the primary of `c` last changed to that replica's share.
    mutating func creditPrimary(_ c: Int, until t: Double) {
        let a = max(primarySince[c], measureStart), b = min(t, measureEnd)
        if b > a, !result.primaryHours.isEmpty { result.primaryHours[Int(primary[c])] += b - a }
        primarySince[c] = t
    }

    // A specialised, incremental copy of the structure function (rules C2–C4) and of
    // eligibility (R2, counted as blocked domains per replica), kept for the event loop's
    // speed: each event updates counters instead of re-evaluating the graph. The reference is
    // NinesSemantics (`StructureRule`, `StaticStructure`, `Topology`); SharedRulesTests drives
    // this copy and the reference with the same random event sequences and requires them to
    // agree after every event. The standby rules are not copied: `StandbyRules` is called.

    /// Recomputes whether component `c` is up and degraded, and passes a change on to the
    /// components that depend on it.
    mutating func refresh(_ c: Int) {
        let g = model.groups.isEmpty ? -1 : Int(model.groupOfComponent[c])
        let newUp = ownUp[c] && (g < 0 ? upDependencies[c] >= info[c].required : groupHolds(g))
        if g >= 0 && !dirtyGroups.contains(Int32(g)) { dirtyGroups.append(Int32(g)) }
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
    mutating func updateDegraded(_ c: Int) {
        let isDegraded = info[c].tracksDegraded && !info[c].isStandby && componentUp[c] && serving[c] < info[c].full
        if isDegraded != degraded[c] {
            degraded[c] = isDegraded
            if info[c].inClosure { degradedCount += isDegraded ? 1 : -1 }
            for i in Int(model.journeysOfStart[c])..<Int(model.journeysOfStart[c + 1]) {
                journeyDegradedCount[Int(model.journeysOf[i])] += isDegraded ? 1 : -1
            }
        }
    }
}

// MARK: - Failover groups

extension Simulator {
    /// A group holds while its current alternative is up and no switch is under way.
    @inline(__always)
    func groupHolds(_ g: Int) -> Bool {
        groupPhase[g] == .serving && componentUp[Int(model.groups[g].alternatives[groupCurrent[g]])]
    }

    /// The groups whose alternatives changed react, deeper ones first (their order in
    /// ``SimulationModel/groups``); a reaction that moves a group may wake the ones above.
    mutating func settleGroups() {
        while let next = dirtyGroups.min() {
            dirtyGroups.removeAll { $0 == next }
            let g = Int(next)
            let group = model.groups[g]
            let up = group.alternatives.map { componentUp[Int($0)] }
            switch groupPhase[g] {
            case .serving where !up[groupCurrent[g]]:
                guard up.indices.contains(where: { $0 != groupCurrent[g] && up[$0] }) else {
                    groupPhase[g] = .waiting
                    break
                }
                // A switch starts: automatic with probability coverage, else manual.
                let automatic = rng.uniformOpen() < group.coverage
                let duration = automatic ? group.detect.sample(&rng, ziggurat) + group.switchover.sample(&rng, ziggurat)
                    : group.manual.sample(&rng, ziggurat)
                groupPhase[g] = automatic ? .automatic : .manual
                if duration > 0 {
                    queue.schedule(replicas + domainCount + componentCount + g, at: now + duration)
                } else {
                    switchTo(g, firstUp: up.firstIndex(of: true))
                }
            case .waiting:
                if let first = up.firstIndex(of: true) { switchTo(g, firstUp: first) }
            default:
                break
            }
            // Its own refresh marks it again; only its alternatives (below it) can move it.
            refresh(Int(group.component))
            dirtyGroups.removeAll { $0 == next }
        }
    }

    /// A switch under way ends: the first-listed up alternative becomes current, or the group waits.
    mutating func groupSwitchEnds(_ g: Int) {
        queue.schedule(replicas + domainCount + componentCount + g, at: .infinity)
        switchTo(g, firstUp: model.groups[g].alternatives.firstIndex { componentUp[Int($0)] })
        if !dirtyGroups.contains(Int32(g)) { dirtyGroups.append(Int32(g)) }
    }

    /// The group serves from `firstUp` (one failover, and its lag of writes, when it is another
    /// alternative than the current one), or waits when none is up.
    mutating func switchTo(_ g: Int, firstUp: Int?) {
        guard let target = firstUp else {
            groupPhase[g] = .waiting
            return
        }
        groupPhase[g] = .serving
        guard target != groupCurrent[g] else { return }
        groupCurrent[g] = target
        let group = model.groups[g]
        let c = Int(group.component)
        if group.lagSeconds > 0 && result.firstDataLoss == nil { result.firstDataLoss = now }
        guard now >= measureStart && now < measureEnd else { return }
        result.failovers += 1
        guard group.lagSeconds > 0 else { return }
        result.dataLossSeconds += group.lagSeconds
        if model.pricesDataLoss { result.pricedLoss += group.lagSeconds * info[c].lossPrice }
        result.dataLossEvents += 1
        result.failoverLossesByComponent[c] += 1
        year.addLoss(group.lagSeconds, at: now - measureStart)
        _ = lossWindows.record(Window.milli(group.lagSeconds))
    }

    /// Whether some component in use is degraded: the entry and, recursively, every dependency
    /// of one in use, except that a failover group uses only its current alternative.
    func inUseDegraded(from root: Int? = nil) -> Bool {
        let start = root ?? entry
        var stack = [start]
        var seen: Set<Int> = [start]
        while let c = stack.popLast() {
            if degraded[c] { return true }
            let g = Int(model.groupOfComponent[c])
            if g >= 0 {
                let alternative = Int(model.groups[g].alternatives[groupCurrent[g]])
                if seen.insert(alternative).inserted { stack.append(alternative) }
                continue
            }
            for d in model.dependencies[c] where seen.insert(Int(d)).inserted { stack.append(Int(d)) }
        }
        return false
    }
}
