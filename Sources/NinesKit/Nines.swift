@_exported public import NinesModel
@_exported public import NinesSemantics
@_exported public import NinesResults
@_exported public import NinesLoader
@_exported public import NinesReport
@_exported public import NinesMarkov
@_exported public import NinesSimulation
@_exported public import NinesRisk
import Foundation

/// The embedding API of Nines: load and check model files, analyse them.
public enum Nines {
    /// The version of this library and of the `nines` command.
    public static let version = "0.1.0"

    /// Why a model file could not be read at all (as opposed to being invalid).
    public enum ReadError: Error, Sendable, CustomStringConvertible {
        case notFound(String)
        case isDirectory(String)
        case unreadable(String)

        public var description: String {
            switch self {
            case .notFound(let path): "\(path): no such file"
            case .isDirectory(let path): "\(path): is a directory, not a model file"
            case .unreadable(let path): "\(path): cannot be read"
            }
        }
    }

    /// Reads and loads the model file at `path`.
    ///
    /// - Returns: the model (when valid) and every diagnostic.
    /// - Throws: ``ReadError`` when the file cannot be read; an invalid model is not thrown
    ///   but returned with its diagnostics.
    public static func loadModel(atPath path: String) throws(ReadError) -> LoadResult {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw .notFound(path) }
        guard !isDirectory.boolValue else { throw .isDirectory(path) }
        // Refuse a huge file before reading it (a model is a few kilobytes).
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber,
           size.intValue > ModelLoader.maximumSize {
            return LoadResult(model: nil, diagnostics: [Diagnostic(
                .error, at: SourceLocation(line: 1, column: 1),
                "the file is \(size.intValue) bytes long; a model file is at most \(ModelLoader.maximumSize) bytes")], source: nil)
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path) }
        return ModelLoader.load(bytes: [UInt8](data))
    }

    /// The analysis engines the format defines.
    public typealias Engine = AnalysisEngine


    /// Simulates a valid model with the Monte Carlo engine; `progress` is called now and
    /// then from a worker thread.
    public static func simulate(_ model: Model, options: MonteCarloEngine.Options = .init(),
                                progress: (@Sendable (MonteCarloEngine.Progress) -> Void)? = nil)
        throws(MonteCarloEngine.EngineError) -> AnalysisResult {
        try MonteCarloEngine.analyze(model, options: options, progress: progress)
    }

    /// Analyses a valid model with the Markov engine.
    public static func analyze(_ model: Model) throws(MarkovEngine.EngineError) -> AnalysisResult {
        try MarkovEngine.analyze(model)
    }
}
