import Foundation
import NinesKit
import NinesTestSupport
import PropertyBased
import Testing

/// No input may crash or trap the loader: random bytes, random YAML, mutated models.
@Suite("Robustness: the loader never traps")
struct RobustnessTests {
    /// Every diagnostic must point inside the text (or at the line after its end).
    static func checkWellFormed(_ result: LoadResult, lineCount: Int) {
        #expect(result.model == nil ? result.hasErrors : !result.hasErrors)
        for diagnostic in result.diagnostics {
            if let location = diagnostic.location {
                #expect(location.line >= 1 && location.line <= lineCount + 1, "\(diagnostic)")
                #expect(location.column >= 1, "\(diagnostic)")
            }
            #expect(!diagnostic.message.isEmpty)
        }
    }

    static func lineCount(_ bytes: [UInt8]) -> Int { bytes.filter { $0 == 10 || $0 == 13 }.count + 1 }

    @Test("random byte strings")
    func randomBytes() async {
        await propertyCheck(count: 400, input: Gen.uint8(in: 0...255).array(of: 0...400)) { bytes in
            let result = ModelLoader.load(bytes: bytes)
            Self.checkWellFormed(result, lineCount: Self.lineCount(bytes))
        }
    }

    static let fragments: [String] = [
        "nines: 1\n", "name: x\n", "entry: a\n", "components:\n", "domains:\n", "business:\n", "  a:\n", "  b:\n",
        "    replicas: 3\n", "    need: 2\n", "    full: 5\n", "    mode: standby\n", "    standby: warm\n",
        "    dormancy: 0.5\n", "    mtbf: 1h\n", "    mttr: 30s\n", "    afr: 2%\n", "    modes:\n", "      - {name: a, mtbf: 1h, mttr: 1m}\n",
        "    depends_on: [a, b]\n", "    depends_on: {any: [b]}\n", "    depends_on: {at_least: 2, of: [a]}\n",
        "    placement: [z]\n", "  z: {mtbf: 1y, mttr: 2h, within: z}\n", "    failover: {detect: 0s, coverage: 50%}\n",
        "    cost: {monthly: 5}\n", "    replication: {mode: async, lag: 2s}\n", "  sla: {target: 99%}\n",
        "&x ", "*x ", "- ", "? ", "[", "]", "{", "}", ",", ": ", "'", "\"", "|\n", ">\n", "#c\n", "\t", "\n", "  ", "---\n",
        "!!binary ", "!!int ", "~", "null", "1e999", "-1", "0x1F", "é", "\u{FEFF}", "\u{0}", "\u{1F600}",
        "    mtbf: 1h\n    mtbf: 2h\n", "a: {a: 1, a: 2}\n",
    ]

    @Test("random YAML from model fragments")
    func randomYAML() async {
        await propertyCheck(count: 600, input: Gen.element(of: Self.fragments).array(of: 0...40)) { pieces in
            let text = pieces.compactMap { $0 }.joined()
            let bytes = Array(text.utf8)
            Self.checkWellFormed(ModelLoader.load(bytes: bytes), lineCount: Self.lineCount(bytes))
        }
    }

    @Test("bundled models with random edits")
    func mutatedModels() async throws {
        let texts = try Repository.models.map { try String(contentsOf: $0, encoding: .utf8) }
        try #require(!texts.isEmpty)
        await propertyCheck(count: 400, input: Gen.int(in: 0...(texts.count - 1)), Gen.int(in: 0...100_000),
                            Gen.int(in: 0...40), Gen.element(of: Self.fragments)) { which, position, length, insertion in
            var scalars = Array(texts[which].unicodeScalars)
            let start = position % (scalars.count + 1)
            let end = min(scalars.count, start + length)
            scalars.replaceSubrange(start..<end, with: (insertion ?? "").unicodeScalars)
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars)
            let bytes = Array(String(view).utf8)
            Self.checkWellFormed(ModelLoader.load(bytes: bytes), lineCount: Self.lineCount(bytes))
        }
    }

    @Test("hostile structures: deep nesting, alias bombs, huge numbers, long lines, many components")
    func hostileStructures() {
        let deep = "a: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let bomb = """
            nines: 1
            name: x
            entry: a
            a0: &a0 [x, x, x, x, x, x, x, x, x, x]
            a1: &a1 [*a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0]
            a2: &a2 [*a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1]
            a3: &a3 [*a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2]
            a4: &a4 [*a3, *a3, *a3, *a3, *a3, *a3, *a3, *a3, *a3, *a3]
            a5: &a5 [*a4, *a4, *a4, *a4, *a4, *a4, *a4, *a4, *a4, *a4]
            components:
              a: {placement: *a5, depends_on: *a5}
            """
        let numbers = minimalModel.replacingOccurrences(of: "replicas: 2", with: "replicas: 99999999999999999999999999")
        let longLine = "name: " + String(repeating: "x", count: 1_000_000) + "\n"
        var chain = "nines: 1\nname: chain\nentry: c0\ncomponents:\n"
        for index in 0..<20_000 { chain += "  c\(index): {depends_on: [c\(index + 1)]}\n" }
        chain += "  c20000: {depends_on: [c0]}\n"
        for text in [deep, bomb, numbers, longLine, chain] {
            let bytes = Array(text.utf8)
            let result = ModelLoader.load(bytes: bytes)
            Self.checkWellFormed(result, lineCount: Self.lineCount(bytes))
            #expect(result.hasErrors)
        }
    }
}
