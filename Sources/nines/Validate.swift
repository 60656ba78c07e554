import ArgumentParser
import Foundation
import NinesKit

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check model files and report every problem, located.",
        discussion: """
        Each problem is printed on stderr as FILE:LINE:COLUMN: error: message, with the \
        source line and a caret, and a "did you mean" hint where one helps. Warnings do not \
        make a model invalid.

        Examples:
          nines validate models/*.yaml
          nines validate --quiet my-service.yaml && echo valid
          nines validate --format json my-service.yaml

        Exit status: 0 when every file is valid, 65 when any is invalid, 1 when a file \
        cannot be read.
        """
    )

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: ArgumentHelp("Model files to check.", valueName: "model"))
    var models: [String]

    @Option(help: "Output on stdout: text (a line per valid file) or json (every file with its diagnostics).")
    var format: OutputFormat = .text

    @Flag(name: .shortAndLong, help: "Print nothing on stdout; only diagnostics and the exit status.")
    var quiet = false

    func validate() throws {
        if models.isEmpty { throw ValidationError("name at least one model file") }
    }

    func run() throws {
        let batch = ModelBatch(paths: models)
        if !quiet {
            switch format {
            case .text:
                for (path, result) in batch.loaded {
                    guard let model = result.model else { continue }
                    let warnings = result.diagnostics.count
                    let causes = model.domains.filter(\.isCause).count, places = model.domains.count - causes
                    let detail = "\(model.components.count) component\(model.components.count == 1 ? "" : "s"), "
                        + "\(places) domain\(places == 1 ? "" : "s")"
                        + (causes > 0 ? ", \(causes) cause\(causes == 1 ? "" : "s")" : "")
                        + (warnings > 0 ? ", \(warnings) warning\(warnings == 1 ? "" : "s")" : "")
                    Terminal.standardOutput("\(path): valid: \(model.name) (\(detail))\n")
                }
            case .json:
                Terminal.standardOutput(try jsonReport(batch))
            }
        }
        _ = try batch.models()
    }

    private struct FileReport: Encodable {
        var file: String
        var valid: Bool
        var diagnostics: [DiagnosticReport]
    }

    private struct DiagnosticReport: Encodable {
        var severity: String
        var line: Int?
        var column: Int?
        var path: String?
        var message: String
        var hint: String?
    }

    private func jsonReport(_ batch: ModelBatch) throws -> String {
        var reports = batch.loaded.map { path, result in
            FileReport(file: path, valid: !result.hasErrors, diagnostics: result.diagnostics.map {
                DiagnosticReport(severity: $0.severity.rawValue, line: $0.location?.line, column: $0.location?.column,
                                 path: $0.path, message: $0.message, hint: $0.hint)
            })
        }
        for (path, reason) in batch.unreadablePaths {
            reports.append(FileReport(file: path, valid: false, diagnostics: [
                DiagnosticReport(severity: "error", line: nil, column: nil, path: nil, message: reason, hint: nil),
            ]))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(reports), as: UTF8.self) + "\n"
    }
}
