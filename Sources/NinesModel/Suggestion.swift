/// "Did you mean" hints for misspelt keys, names and units.
public enum Suggestion {
    /// `did you mean 'mttr'?` when one candidate is close to `word`, else `nil`.
    ///
    /// Close means an optimal-string-alignment (Damerau–Levenshtein) distance of at most a
    /// third of the word's length (at least 1, at most 3), ignoring case.
    public static func didYouMean(_ word: String, among candidates: some Sequence<String>) -> String? {
        closest(to: word, among: candidates).map { "did you mean '\($0)'?" }
    }

    /// The candidate closest to `word`, if it is close enough to be a likely misspelling.
    public static func closest(to word: String, among candidates: some Sequence<String>) -> String? {
        let lowered = Array(word.lowercased().unicodeScalars)
        // One-letter words only match by case ('H' → 'h'): any other letter is one edit away.
        let limit = lowered.count == 1 ? 0 : min(3, max(1, lowered.count / 3))
        var best: (String, Int)?
        for candidate in candidates where candidate != word {
            let other = Array(candidate.lowercased().unicodeScalars)
            let distance = editDistance(lowered, other)
            guard distance <= limit else { continue }
            // Ties go to the candidate that starts like the word: people rarely mistype the first letter.
            let score = distance * 2 + (other.first == lowered.first ? 0 : 1)
            if score < (best?.1 ?? .max) { best = (candidate, score) }
        }
        return best?.0
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and adjacent
    /// transpositions each cost 1.
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, previous2[j - 2] + 1)
                }
                current[j] = value
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}
