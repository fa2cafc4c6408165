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

    /// Keeps `Rules/` as the copy, when what was copied is `ruleSet` (the folder may have changed
    /// since it was checked): the copy is written beside the old one and swapped in whole.
    func keep(_ ruleSet: RuleSet) throws {
        let staging = folder + ".new"
        if FileIO.exists(staging) { try FileIO.removeTree(staging) }
        try FileIO.copyTree(from: home.rules, to: staging)
        guard RulesCheck.check(staging).ruleSet?.contentHash == ruleSet.contentHash else {
            try FileIO.removeTree(staging)
            return
        }
        if FileIO.exists(folder) { try FileIO.removeTree(folder) }
        try FileIO.move(staging, to: folder)
        try FileIO.syncDirectory(home.state)
    }

    /// The kept rules, when there is a copy and it still checks.
    func load() -> RuleSet? {
        guard FileIO.isDirectory(folder) else { return nil }
        return RulesCheck.check(folder).ruleSet
    }
}
