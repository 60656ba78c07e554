import ArgumentParser
import NinesKit

struct Schema: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the JSON Schema of the model format, for editors with a YAML language server.",
        discussion: """
        Point a model at it in its first line, and editors that run a YAML language server \
        (VS Code's YAML extension, Neovim's yamlls) complete and check the model as you type:
          # yaml-language-server: $schema=nines.schema.json

        Example:
          nines schema > nines.schema.json
        """
    )

    func run() {
        Terminal.standardOutput(ModelSchema.json + "\n")
    }
}
