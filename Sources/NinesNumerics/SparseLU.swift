internal import CUMFPACK

/// A sparse square matrix in compressed sparse columns, built from `(row, column, value)`
/// triples (repeated positions add up).
public struct SparseMatrix: Sendable {
    public let dimension: Int
    public private(set) var columnStart: [Int32]
    public private(set) var rowIndex: [Int32]
    public private(set) var values: [Double]
    /// Whether an index did not fit UMFPACK's 32-bit integers (the solve refuses it).
    public let overflowed: Bool

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
                    rows.append(Int32(truncatingIfNeeded: row))
                    vals.append(value)
                    lastRow = row
                }
            }
            start.append(Int32(truncatingIfNeeded: rows.count))
        }
        self.overflowed = dimension >= Int(Int32.max) || rows.count >= Int(Int32.max)
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
    /// The most memory a factorisation may take, by UMFPACK's estimate after its symbolic analysis.
    public static let memoryBudget = 1.5e9

    /// UMFPACK's estimates, from its symbolic analysis alone (cheap: no factorisation), of the
    /// floating-point operations and the peak memory in bytes that factorising `matrix` takes;
    /// `nil` when the analysis fails.
    public static func estimate(_ matrix: SparseMatrix) -> (flops: Double, bytes: Double)? {
        let n = matrix.dimension
        guard n > 0, n < Int(Int32.max), matrix.rowIndex.count < Int(Int32.max), matrix.overflowed == false else { return nil }
        var info = [Double](repeating: 0, count: Int(UMFPACK_INFO))
        var status: Int32 = 0
        matrix.columnStart.withUnsafeBufferPointer { ap in
            matrix.rowIndex.withUnsafeBufferPointer { ai in
                matrix.values.withUnsafeBufferPointer { ax in
                    var symbolic: UnsafeMutableRawPointer?
                    status = umfpack_di_symbolic(Int32(n), Int32(n), ap.baseAddress, ai.baseAddress, ax.baseAddress, &symbolic, nil, &info)
                    umfpack_di_free_symbolic(&symbolic)
                }
            }
        }
        guard status == UMFPACK_OK else { return nil }
        return (info[Int(UMFPACK_FLOPS_ESTIMATE)], info[Int(UMFPACK_PEAK_MEMORY_ESTIMATE)] * info[Int(UMFPACK_SIZE_OF_UNIT)])
    }

    public static func solve(_ matrix: SparseMatrix, _ rhs: [Double], memoryBudget: Double = memoryBudget) throws(NumericsError) -> [Double] {
        let n = matrix.dimension
        guard rhs.count == n else { throw .dimensionMismatch("right-hand side of length \(rhs.count) for \(n) rows") }
        guard n > 0 else { return [] }
        guard n < Int(Int32.max), matrix.rowIndex.count < Int(Int32.max), matrix.overflowed == false else {
            throw .dimensionMismatch("\(n) rows and \(matrix.rowIndex.count) entries exceed UMFPACK's 32-bit indices")
        }
        var x = [Double](repeating: 0, count: n)
        var status: Int32 = 0
        var stage = "umfpack_di_symbolic"
        var info = [Double](repeating: 0, count: Int(UMFPACK_INFO))
        var estimate = 0.0
        matrix.columnStart.withUnsafeBufferPointer { ap in
            matrix.rowIndex.withUnsafeBufferPointer { ai in
                matrix.values.withUnsafeBufferPointer { ax in
                    rhs.withUnsafeBufferPointer { b in
                        x.withUnsafeMutableBufferPointer { xx in
                            var symbolic: UnsafeMutableRawPointer?
                            var numeric: UnsafeMutableRawPointer?
                            status = umfpack_di_symbolic(Int32(n), Int32(n), ap.baseAddress, ai.baseAddress, ax.baseAddress,
                                                         &symbolic, nil, &info)
                            defer { umfpack_di_free_symbolic(&symbolic) }
                            guard status == UMFPACK_OK else { return }
                            // Refuse before the numeric factorisation allocates what the machine may not have.
                            estimate = info[Int(UMFPACK_PEAK_MEMORY_ESTIMATE)] * info[Int(UMFPACK_SIZE_OF_UNIT)]
                            guard estimate <= memoryBudget else { return }
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
        if estimate > memoryBudget { throw .tooMuchMemory(bytes: estimate, budget: memoryBudget) }
        if status == UMFPACK_WARNING_singular_matrix { throw .singular }
        if status == UMFPACK_ERROR_out_of_memory { throw .outOfMemory(function: stage) }
        guard status == UMFPACK_OK else { throw .gsl(function: stage, status: status, reason: "UMFPACK status \(status)") }
        guard x.allSatisfy(\.isFinite) else { throw .singular }
        return x
    }
}
