/// A chain's reachable states, found by breadth-first search from an initial state.
struct ExploredChain<State: Hashable> {
    var states: [State]
    var rates: RateMatrix

    /// Explores every state reachable from `initial`.
    ///
    /// - Parameters:
    ///   - limit: the most states to build; exceeding it throws before more memory is taken.
    ///   - bytesPerState: what one state costs (stored twice, in the list and the index); the
    ///     limit is lowered so that the states fit ``memoryBudget``.
    ///   - successors: appends `(next state, rate per hour)` for each transition out of a state.
    /// The most memory an exploration may take for its states and transitions.
    static var memoryBudget: Int { 1_000_000_000 }
    /// Transitions take 24 bytes each (from, to, rate) while exploring.
    static var transitionLimit: Int { memoryBudget / 48 }

    static func explore(from initial: State, limit requested: Int, bytesPerState: Int = 128, what: String,
                        successors: (State, inout [(State, Double)]) -> Void) throws(ChainError) -> ExploredChain<State> {
        let limit = min(requested, Self.memoryBudget / max(1, bytesPerState))
        var index: [State: Int] = [initial: 0]
        var states = [initial]
        var triples: [(from: Int, to: Int, rate: Double)] = []
        var next: [(State, Double)] = []
        var cursor = 0
        while cursor < states.count {
            next.removeAll(keepingCapacity: true)
            successors(states[cursor], &next)
            for (state, rate) in next where rate > 0 {
                let target: Int
                if let known = index[state] {
                    target = known
                } else {
                    guard states.count < limit else {
                        throw .tooLarge(what: what, states: states.count + 1, limit: limit,
                                        advice: "reduce replicas or repair crews, or split the component; the Monte Carlo engine (--engine montecarlo) simulates it")
                    }
                    target = states.count
                    index[state] = target
                    states.append(state)
                }
                guard triples.count < Self.transitionLimit else {
                    throw .tooManyTransitions(what: what, limit: Self.transitionLimit)
                }
                triples.append((cursor, target, rate))
            }
            cursor += 1
        }
        return ExploredChain(states: states, rates: RateMatrix(stateCount: states.count, triples: triples))
    }
}
