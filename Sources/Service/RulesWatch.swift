import Basics
import RuleLanguage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The names, sizes and modification times of every file under a folder (hidden ones skipped):
/// cheap to take every poll, and different whenever a rule file is saved.
public struct FolderFingerprint: Hashable, Sendable {
    public var files: [String: FileObservation]

    public init(files: [String: FileObservation] = [:]) {
        self.files = files
    }

    /// Takes the fingerprint of `directory` (empty when it cannot be read).
    public static func of(_ directory: String) -> FolderFingerprint {
        var fingerprint = FolderFingerprint()
        collect(directory, prefix: "", depth: 0, into: &fingerprint.files)
        return fingerprint
    }

    private static func collect(
        _ directory: String, prefix: String, depth: Int, into files: inout [String: FileObservation]
    ) {
        guard depth < 16, let names = try? FileIO.listDirectory(directory) else { return }
        for name in names where !name.hasPrefix(".") {
            let path = FileIO.join(directory, name)
            var info = stat()
            guard stat(path, &info) == 0 else { continue }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                collect(path, prefix: prefix + name + "/", depth: depth + 1, into: &files)
            } else {
                files[prefix + name] = FileObservation(
                    size: Int(info.st_size),
                    modified: Int(info.st_mtim.tv_sec) * 1_000_000_000 + Int(info.st_mtim.tv_nsec))
            }
        }
    }
}

/// Decides when a change in the rules folder calls for a re-check: once the folder differs from
/// what was last checked and has looked the same on two polls in a row (an editor part-way
/// through saving several files is not checked half-done). Pure, like ``InboxTracker``.
public struct RulesWatch: Sendable, Equatable {
    private var checked: FolderFingerprint?
    private var lastSeen: FolderFingerprint?

    public init() {}

    /// Notes the fingerprint the rules were just checked at.
    public mutating func markChecked(_ fingerprint: FolderFingerprint) {
        checked = fingerprint
        lastSeen = fingerprint
    }

    /// Takes in this poll's fingerprint; `true` when the rules should be re-checked now.
    public mutating func observe(_ fingerprint: FolderFingerprint) -> Bool {
        defer { lastSeen = fingerprint }
        return fingerprint != checked && fingerprint == lastSeen
    }
}

/// What checking the rules folder found: a usable rule set, or the errors, one line each.
public struct RulesCheck: Sendable {
    public let ruleSet: RuleSet?
    /// `Rules/team.rules:3:5: error: ...` lines (rule files hold no patient data).
    public let errors: [String]

    /// Loads and checks `directory` (never throws: a missing folder is an error line too).
    public static func check(_ directory: String) -> RulesCheck {
        let result: RuleSetLoadResult
        do {
            result = try RuleSetLoader.load(directory: directory)
        } catch {
            return RulesCheck(ruleSet: nil, errors: [error.message])
        }
        if let ruleSet = result.ruleSet { return RulesCheck(ruleSet: ruleSet, errors: []) }
        let errors = result.diagnostics.filter { $0.severity == .error }.map {
            String(DiagnosticRenderer.render($0, in: result.sources).prefix { $0 != "\n" })
        }
        return RulesCheck(ruleSet: nil, errors: errors.isEmpty ? ["the rules could not be checked"] : errors)
    }
}
