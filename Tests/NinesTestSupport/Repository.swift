import Foundation

/// Paths in the repository, found from this source file.
public enum Repository {
    /// The repository's root directory.
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The bundled example models, sorted by name.
    public static var models: [URL] {
        let directory = root.appendingPathComponent("models")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted().map { directory.appendingPathComponent($0) }
    }

    /// A file of `Tests/Fixtures`.
    public static func fixture(_ name: String) -> URL {
        root.appendingPathComponent("Tests/Fixtures").appendingPathComponent(name)
    }

    /// The directory holding the built products (`nines`), next to the test bundle.
    public static var productsDirectory: URL {
        let bundle = Bundle.main.bundleURL
        if FileManager.default.fileExists(atPath: bundle.appendingPathComponent("nines").path) { return bundle }
        for candidate in Bundle.allBundles.map(\.bundleURL) + [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()] {
            var directory = candidate
            for _ in 0..<3 {
                if FileManager.default.fileExists(atPath: directory.appendingPathComponent("nines").path) { return directory }
                directory = directory.deletingLastPathComponent()
            }
        }
        return root.appendingPathComponent(".build/debug")
    }
}
