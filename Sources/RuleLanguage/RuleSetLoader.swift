import Basics
import Vocabulary

/// A rules folder that cannot be read at all (as opposed to rule files with mistakes in them).
public struct RuleFolderError: UserFacingError, Equatable {
    public let message: String
    public let exitCode: ExitCode

    init(_ message: String, exitCode: ExitCode = .noInput) {
        self.message = message
        self.exitCode = exitCode
    }
}

/// Everything `check` found: the diagnostics, counts for the summary, and the checked rule set
/// when there were no errors.
public struct RuleSetLoadResult: Sendable {
    /// The rules folder as given.
    public let directory: String
    public let sources: SourceFiles
    /// The parsed files (also when there are errors), for tools such as a formatter.
    public let files: [FileSyntax]
    /// Sorted by file and position; errors and warnings.
    public let diagnostics: [Diagnostic]
    /// `nil` when there is any error.
    public let ruleSet: RuleSet?
    public let summary: CheckSummary

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

/// The one entry point from a rules folder to a checked ``RuleSet``.
public enum RuleSetLoader {
    /// Reads every `*.rules` file in `directory` and its subfolders (hidden folders skipped) as
    /// one rule set, with the codelists and lookups they name, and checks it all.
    /// - Throws: `RuleFolderError` when the folder is missing, unreadable or holds no rule files.
    public static func load(directory: String) throws(RuleFolderError) -> RuleSetLoadResult {
        guard FileIO.isDirectory(directory) else {
            throw RuleFolderError("rules folder '\(directory)' does not exist (give another with --rules DIR)")
        }
        var relativePaths: [String] = []
        do {
            try collect(directory, prefix: "", depth: 0, into: &relativePaths)
        } catch {
            throw RuleFolderError(error.message, exitCode: error.exitCode)
        }
        guard !relativePaths.isEmpty else {
            throw RuleFolderError("rules folder '\(directory)' has no .rules files")
        }
        let shown = displayPrefix(directory)
        var files: [SourceFile] = []
        for relative in relativePaths.sorted() {
            do {
                let bytes = try FileIO.readAll(FileIO.join(directory, relative))
                files.append(SourceFile(path: shown + relative, relativePath: relative, bytes: bytes))
            } catch {
                throw RuleFolderError(error.message, exitCode: error.exitCode)
            }
        }
        return load(files: files, directory: directory)
    }

    /// Checks rule files already in memory; codelist and lookup paths are resolved against
    /// `directory`. For tests and editors.
    public static func load(files: [SourceFile], directory: String) -> RuleSetLoadResult {
        var sources = SourceFiles()
        var diagnostics = DiagnosticCollector()
        var parsed: [FileSyntax] = []
        for file in files {
            let id = sources.add(file)
            parsed.append(Parser.parse(file, id: id, diagnostics: &diagnostics))
        }
        var checker = Checker(root: directory, sources: sources, files: parsed, diagnostics: diagnostics)
        var ruleSet = checker.check()
        diagnostics = checker.diagnostics
        if var checked = ruleSet {
            checked.dataFiles = checker.dataFiles.sorted()
            checked.contentHash = contentHash(
                rules: sources.files.map { ($0.relativePath, $0.bytes) }, dataFiles: checked.dataFiles,
                directory: directory)
            ruleSet = checked
        }
        var summary = checker.summary
        summary.errors = diagnostics.errorCount
        summary.warnings = diagnostics.warningCount
        return RuleSetLoadResult(
            directory: directory, sources: sources, files: parsed, diagnostics: diagnostics.sorted(), ruleSet: ruleSet,
            summary: summary)
    }

    /// `Rules/` for `./Rules`, nothing for `.`: how paths are shown in messages.
    static func displayPrefix(_ directory: String) -> String {
        var shown = directory
        while shown.hasPrefix("./") { shown.removeFirst(2) }
        while shown.count > 1, shown.hasSuffix("/") { shown.removeLast() }
        if shown == "." || shown.isEmpty { return "" }
        return shown + "/"
    }

    private static func collect(_ directory: String, prefix: String, depth: Int, into paths: inout [String])
        throws(FileIOError)
    {
        guard depth < 16 else { return }
        for name in try FileIO.listDirectory(directory) where !name.hasPrefix(".") {
            let full = FileIO.join(directory, name)
            if FileIO.isDirectory(full) {
                try collect(full, prefix: prefix + name + "/", depth: depth + 1, into: &paths)
            } else if name.hasSuffix(".rules"), FileIO.isFile(full) {
                paths.append(prefix + name)
            }
        }
    }

    /// The ``RuleSet/contentHash`` the rule files in `directory` would have with `dataFiles`,
    /// without checking them: whether a copy of a checked folder holds exactly what was checked
    /// (the same rule files, the same files they read), at the cost of reading it.
    public static func contentHash(ofFolder directory: String, dataFiles: [String]) throws(FileIOError) -> ContentHash {
        var relativePaths: [String] = []
        try collect(directory, prefix: "", depth: 0, into: &relativePaths)
        var rules: [(String, [UInt8])] = []
        for relative in relativePaths {
            rules.append((relative, try FileIO.readAll(FileIO.join(directory, relative))))
        }
        return contentHash(rules: rules, dataFiles: dataFiles, directory: directory)
    }

    /// SHA-256 over every rule file and data file, each with its relative path, in path order.
    private static func contentHash(rules: [(path: String, bytes: [UInt8])], dataFiles: [String], directory: String)
        -> ContentHash
    {
        var hasher = SHA256()
        func add(_ kind: String, _ path: String, _ bytes: [UInt8]) {
            hasher.update(Array("\(kind)\u{0}\(path)\u{0}\(bytes.count)\u{0}".utf8))
            hasher.update(bytes)
        }
        for file in rules.sorted(by: { $0.path < $1.path }) {
            add("rules", file.path, file.bytes)
        }
        for path in dataFiles.sorted() {
            add("data", path, (try? FileIO.readAll(FileIO.join(directory, path))) ?? [])
        }
        return ContentHash(digest: hasher.finalize())!
    }
}

/// Rules with errors, met by a command that needs a working rule set (not `check`).
public struct RuleSetError: UserFacingError {
    /// The errors, rendered with their locations and carets.
    public let rendered: String
    public let errorCount: Int

    public var message: String {
        rendered + "\(errorCount == 1 ? "1 error" : "\(Formatting.grouped(errorCount)) errors") in the rules; "
            + "fix them (see 'outreach check') and run again"
    }

    public var exitCode: ExitCode { .dataError }
}

extension RuleSetLoader {
    /// The checked rule set of a folder, for commands that cannot run on rules with errors.
    /// - Throws: `RuleFolderError` (66) when the folder cannot be read; `RuleSetError` (65) with
    ///   every error rendered when the rules have errors.
    public static func checkedRuleSet(directory: String) throws -> RuleSet {
        let result = try load(directory: directory)
        if let ruleSet = result.ruleSet { return ruleSet }
        let errors = result.diagnostics.filter { $0.severity == .error }
        let rendered = errors.map { DiagnosticRenderer.render($0, in: result.sources) }.joined()
        throw RuleSetError(rendered: rendered, errorCount: errors.count)
    }
}
