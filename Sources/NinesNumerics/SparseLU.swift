internal import CUMFPACK

/// A sparse square matrix in compressed sparse columns, built from `(row, column, value)`
/// triples (repeated positions add up).
public struct SparseMatrix: Sendable {
    public let dimension: Int
    public private(set) var columnStart: [Int32]
    public private(set) var rowIndex: [Int32]
    public private(set) var values: [Double]

    public init(dimension: Int, triples: [(row: Int, column: Int, value: Double)]) {
        self.dimension = dimension
        var byColumn = [[(Int, Double)]](repeating: [], count: dimension)
        for t in triples { byColumn[t.column].append((t.row, t.value)) }
        var start: [Int32] = [0]
        var rows: [Int32] = []
        var vals: [Double] = []
        for column in 0..<dimension {
            let sorted = byColumn[column].sorted { $0.0 < $1.0 }
            var lastRow = -1
            for (row, value) in sorted {
                if row == lastRow { vals[vals.count - 1] += value } else {
                    rows.append(Int32(row))
                    vals.append(value)
                    lastRow = row
                }
            }
            start.append(Int32(rows.count))
        }
        self.columnStart = start
        self.rowIndex = rows
        self.values = vals
    }

    /// The product `A x`.
    public func multiplied(by x: [Double]) -> [Double] {
        var result = [Double](repeating: 0, count: dimension)
        for column in 0..<dimension {
            for k in Int(columnStart[column])..<Int(columnStart[column + 1]) {
                result[Int(rowIndex[k])] += values[k] * x[column]
            }
        }
        return result
    }
}

/// Sparse direct solves with UMFPACK (T. A. Davis, "Algorithm 832: UMFPACK", ACM TOMS 30, 2004):
/// unsymmetric multifrontal LU with a fill-reducing column ordering and iterative refinement.
public enum SparseLUSolver {
    /// Solves `A x = b`.
    ///
    /// - Complexity: depends on the fill-in; near-linear for the banded and block structures of
    ///   availability chains.
    /// - Throws: ``NumericsError/singular`` for a singular matrix, ``NumericsError/gsl`` (with
    ///   UMFPACK's status) for any other failure.
    public static func solve(_ matrix: SparseMatrix, _ rhs: [Double]) throws(NumericsError) -> [Double] {
        let n = matrix.dimension
        guard rhs.count == n else { throw .dimensionMismatch("right-hand side of length \(rhs.count) for \(n) rows") }
        guard n > 0 else { return [] }
        guard n < Int(Int32.max) else { throw .dimensionMismatch("\(n) rows exceed UMFPACK's 32-bit indices") }
        var x = [Double](repeating: 0, count: n)
        var status: Int32 = 0
        var stage = "umfpack_di_symbolic"
        matrix.columnStart.withUnsafeBufferPointer { ap in
            matrix.rowIndex.withUnsafeBufferPointer { ai in
                matrix.values.withUnsafeBufferPointer { ax in
                    rhs.withUnsafeBufferPointer { b in
                        x.withUnsafeMutableBufferPointer { xx in
                            var symbolic: UnsafeMutableRawPointer?
                            var numeric: UnsafeMutableRawPointer?
                            status = umfpack_di_symbolic(Int32(n), Int32(n), ap.baseAddress, ai.baseAddress, ax.baseAddress,
                                                         &symbolic, nil, nil)
                            defer { umfpack_di_free_symbolic(&symbolic) }
                            guard status == UMFPACK_OK else { return }
                            stage = "umfpack_di_numeric"
                            status = umfpack_di_numeric(ap.baseAddress, ai.baseAddress, ax.baseAddress, symbolic, &numeric, nil, nil)
                            defer { umfpack_di_free_numeric(&numeric) }
                            guard status == UMFPACK_OK else { return }
                            stage = "umfpack_di_solve"
                            status = umfpack_di_solve(Int32(UMFPACK_A), ap.baseAddress, ai.baseAddress, ax.baseAddress,
                                                      xx.baseAddress, b.baseAddress, numeric, nil, nil)
                        }
                    }
                }
            }
        }
        if status == UMFPACK_WARNING_singular_matrix { throw .singular }
        guard status == UMFPACK_OK else { throw .gsl(function: stage, status: status, reason: "UMFPACK status \(status)") }
        guard x.allSatisfy(\.isFinite) else { throw .singular }
        return x
    }
}
