import ArgumentParser
import Testing
@testable import PolyNetCommands

/// Every option of every `polynet` subcommand, given extreme values, through ArgumentParser's
/// parse and each command's `validate()`: a result or an error, never a trap.
@Suite("Command option fuzzing")
struct CommandOptionFuzzTests {
    /// The least each command needs to reach validation; a command missing here fails the
    /// test, so a new command cannot escape the fuzzing.
    static let baseArguments: [String: [String]] = [
        "approx": ["gelu"], "train": [], "eval": ["--checkpoint", "x"], "init-report": [],
        "convert": ["--weights", "x", "--activation", "relu"], "data info": [], "data fetch": ["fashion-mnist"],
        "bench gemm": [], "bench conv": [], "bench elementwise": [], "bench train": [], "bench approx": [], "bench activations": [],
        "bench convert": [], "explain eigen": ["--checkpoint", "x"], "explain svd-attack": ["--checkpoint", "x"],
        "explain eigen-attack": ["--checkpoint", "x"], "explain complexity": ["--run", "x"], "explain report": ["--run", "x"], "explain boundaries": [],
        "polyize": ["--checkpoint", "x"],
    ]

    /// Zero, negatives, Int's edges and one past them, Double's edges, non-numbers, a reversed
    /// range, a device, a missing folder and a list with a huge entry (16 values: each parse
    /// costs milliseconds in a debug build, and the suite runs 16 × ~120 options).
    static let values = ["0", "-1", "9223372036854775807", "-9223372036854775808", "9223372036854775808", "1e308",
                         "1e-308", "1e309", "nan", "-inf", "", "x", "1...0", "/dev/full", "/nonexistent/dir/x",
                         "3,7,1000000000"]

    /// Leaf commands with their names, e.g. ("explain eigen", ExplainEigenCommand.self).
    static func leaves(of command: any ParsableCommand.Type, path: [String] = []) -> [(String, any ParsableCommand.Type)] {
        let subcommands = command.configuration.subcommands
        if subcommands.isEmpty { return [(path.joined(separator: " "), command)] }
        return subcommands.flatMap { leaves(of: $0, path: path + [$0._commandName]) }
    }

    /// The long names of the options that take a value, read from the command's help.
    static func valueOptions(of command: any ParsableCommand.Type) -> [String] {
        let help = PolyNetCommand.helpMessage(for: command, columns: 10_000)
        return help.split(separator: "\n").compactMap { line -> String? in
            let trimmed = line.drop(while: { $0 == " " })
            guard trimmed.hasPrefix("--"), let space = trimmed.firstIndex(of: " "),
                  trimmed[space...].dropFirst().hasPrefix("<") else { return nil }
            return String(trimmed[..<space])
        }
    }

    @Test func everyOptionAtItsExtremes() throws {
        var parsed = 0, refused = 0, options = 0
        for (name, command) in Self.leaves(of: PolyNetCommand.self) {
            let base = try #require(Self.baseArguments[name], "add '\(name)' to baseArguments")
            let names = Self.valueOptions(of: command)
            #expect(!names.isEmpty || ["bench elementwise", "bench approx", "bench activations"].contains(name), "no options found in the help of \(name)")
            options += names.count
            for option in names {
                for value in Self.values {
                    do {
                        // Parsing the leaf command itself (not from the root, which rebuilds the whole
                        // command tree per call) runs the same option parsing and validate().
                        _ = try command.parse(base + ["\(option)=\(value)"])
                        parsed += 1
                    } catch {
                        refused += 1
                        // Every refusal is worded for a user, never a raw system error: one line,
                        // or ArgumentParser's invalid-value message that lists the choices.
                        let text = PolyNetCommand.message(for: error)
                        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
                        let readable = !text.isEmpty && (lines.count == 1 || text.hasPrefix("The value '"))
                        #expect(readable && !text.contains("Error Domain") && !text.contains("could not be completed"),
                                "\(name) \(option)=\(value): \(text)")
                    }
                }
            }
        }
        #expect(options > 50 && parsed > 0 && refused > 0)
    }

    /// The composite's options at their extremes from a base that reaches its own checks
    /// (`--method composite` with each of relu and sign), through parse and validate(): a
    /// one-line refusal or a parse, never a trap.
    @Test func compositeOptionsAtTheirExtremes() throws {
        // Each parse costs ~20 ms in a debug build: two bases and the values that reach a
        // distinct check (range, sign, overflow, not-a-number, the (0, 1) and (0, 40] edges).
        let bases = [["relu", "--method", "composite", "--alpha", "8"], ["sign", "--method", "composite", "--epsilon", "0.01"]]
        for base in bases {
            for option in ["--epsilon", "--alpha", "--max-error", "--check", "--range", "--minimize"] {
                for value in ["0", "-1", "1e308", "1e-308", "nan", "-inf", "", "x", "1...0", "0.5", "1", "40.5", "-1...2", "depth"] {
                    do {
                        _ = try ApproxCommand.parse(base + ["\(option)=\(value)"])
                    } catch {
                        let text = PolyNetCommand.message(for: error)
                        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
                        #expect(!text.isEmpty && (lines.count == 1 || text.hasPrefix("The value '")), "\(base) \(option)=\(value): \(text)")
                    }
                }
            }
        }
    }
}
