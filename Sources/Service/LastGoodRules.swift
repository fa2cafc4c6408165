import Basics
import Operations
import RuleLanguage

/// The last rules the daemon put in force, kept as a copy in `state/rules-in-force/`, so that a
/// daemon started (or restarted) while `Rules/` has errors carries on under them, as a running
/// daemon does, rather than publishing nothing until someone fixes the folder.
struct LastGoodRules {
    let home: Home

    /// `state/rules-in-force/`: patient-free rule files and their codelists, 0600 in 0700 folders.
    var folder: String { FileIO.join(home.state, "rules-in-force") }

    /// `state/rules-in-force.version`: the version of the rules the copy holds, so a start under
    /// the rules already kept does not copy and check them again.
    var versionFile: String { folder + ".version" }

    /// Keeps `Rules/` as the copy, when what was copied is `ruleSet` (the folder may have changed
    /// since it was checked): the copy is written beside the old one and swapped in whole. Nothing
    /// is done when the copy is of `ruleSet` already.
    func keep(_ ruleSet: RuleSet) throws {
        if FileIO.isDirectory(folder), (try? FileIO.readText(versionFile)) == ruleSet.contentHash.hex { return }
        let staging = folder + ".new"
        if FileIO.exists(staging) { try FileIO.removeTree(staging) }
        try FileIO.copyTree(from: home.rules, to: staging)
        // The copy is of `ruleSet` when it holds the same bytes it was checked from.
        guard (try? RuleSetLoader.contentHash(ofFolder: staging, dataFiles: ruleSet.dataFiles)) == ruleSet.contentHash
        else {
            try FileIO.removeTree(staging)
            return
        }
        try? FileIO.remove(versionFile)
        if FileIO.exists(folder) { try FileIO.removeTree(folder) }
        try FileIO.move(staging, to: folder)
        try FileIO.syncDirectory(home.state)
        try FileIO.writeAtomically(text: ruleSet.contentHash.hex, to: versionFile)
    }

    /// The kept rules, when there is a copy and it still checks.
    func load() -> RuleSet? {
        guard FileIO.isDirectory(folder) else { return nil }
        return RulesCheck.check(folder).ruleSet
    }
}
