import Basics
import RuleLanguage

/// libFuzzer's entry point for the rule language: the bytes are a rule file checked beside the
/// shipped team, policy and example files (so cross-checks run, and codelist names resolve
/// against the shipped `Rules/`), as the daemon and `check` would check them. A file that parses
/// cleanly must also print back to text that parses to the same print (what `explain` and the
/// formatter rely on). Diagnostics are the checker's answer to bad input; only a crash, a hang,
/// runaway memory or a broken round trip is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRules(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let fuzzed = SourceFile(path: "cohorts.rules", relativePath: "cohorts.rules", bytes: bytes)
    _ = RuleSetLoader.load(files: shippedCompanions + [fuzzed], directory: shippedRules)

    var diagnostics = DiagnosticCollector()
    let syntax = Parser.parse(fuzzed, id: SourceFileID(0), diagnostics: &diagnostics)
    if !diagnostics.hasErrors {
        let printed = PrettyPrinter.print(syntax)
        var again = DiagnosticCollector()
        let reparsed = Parser.parse(
            SourceFile(path: "printed.rules", text: printed), id: SourceFileID(0), diagnostics: &again)
        if again.hasErrors || PrettyPrinter.print(reparsed) != printed {
            fatalError("a rule file that parses prints back as text that does not parse the same")
        }
    }
    return 0
}

/// The repository's `Rules/`, found from this file's place in it.
private let shippedRules: String = {
    var path = #filePath
    for _ in 0..<4 { path = FileIO.parentDirectory(of: path) }
    return FileIO.join(path, "Rules")
}()

/// Every shipped rule file but `cohorts.rules`, which the fuzzed bytes stand in for.
private let shippedCompanions: [SourceFile] = ["team.rules", "policy.rules", "examples.rules"].map { name in
    let bytes = (try? FileIO.readAll(FileIO.join(shippedRules, name))) ?? []
    return SourceFile(path: name, relativePath: name, bytes: bytes)
}
