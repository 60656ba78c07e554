import NinesLoader
import NinesModel

/// The diagnostics of a YAML text as `LINE:COLUMN: severity: message` lines.
func diagnose(_ yaml: String) -> [String] {
    ModelLoader.load(yaml: yaml).diagnostics.map { diagnostic in
        let position = diagnostic.location.map { "\($0.line):\($0.column): " } ?? ""
        return "\(position)\(diagnostic.severity.rawValue): \(diagnostic.summary)"
    }
}

/// A small valid model to build malformed ones from.
let minimalModel = """
    nines: 1
    name: Shop
    entry: web
    components:
      web:
        replicas: 2
        mtbf: 1000h
        mttr: 1h

    """
