import Foundation
internal import CGSL

/// A failure reported by GSL, or a problem found before calling it.
public enum NumericsError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A GSL function returned a non-zero status.
    case gsl(function: String, status: Int32, reason: String)
    /// The matrix is singular (to working precision).
    case singular
    /// Shapes do not fit together.
    case dimensionMismatch(String)
    /// A factorisation would need more memory than allowed (an estimate, before allocating).
    case tooMuchMemory(bytes: Double, budget: Double)
    /// The library ran out of memory.
    case outOfMemory(function: String)

    public var description: String {
        switch self {
        case .gsl(let function, let status, let reason): "\(function) failed (GSL status \(status): \(reason))"
        case .singular: "the matrix is singular"
        case .dimensionMismatch(let what): "dimension mismatch: \(what)"
        case .tooMuchMemory(let bytes, let budget):
            String(format: "the factorisation needs about %.1f GB, more than the %.1f GB allowed", bytes / 1e9, budget / 1e9)
        case .outOfMemory(let function): "out of memory in \(function)"
        }
    }
}

/// The one place GSL is configured and its status codes become Swift errors
/// (as swift-system routes every system call through one layer).
enum GSLCall {
    /// GSL's default error handler calls `abort()`; it is switched off once, before the first call.
    static let handlerOff: Bool = {
        gsl_set_error_handler_off()
        return true
    }()

    static func prepare() { _ = handlerOff }

    static func check(_ status: Int32, _ function: String) throws(NumericsError) {
        guard status == Int32(GSL_SUCCESS) else {
            let reason = gsl_strerror(status).map { String(cString: $0) } ?? "unknown"
            throw .gsl(function: function, status: status, reason: reason)
        }
    }
}
