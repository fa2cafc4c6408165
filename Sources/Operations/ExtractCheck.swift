import Basics
import RuleLanguage
import Vocabulary

/// How an ingest checks an input's copy: an extract is read on its own and checked (``Ingestor``'s
/// checks: a patients file parsed whole, an events file's layout); a returned list is left to its
/// own ingest. Whether the input was ingested before is for the caller to ask.
///
/// A check depends on the rules (their extract profiles), the day (dates after it are refused)
/// and whether a smaller population was confirmed, which its ``key`` names: the daemon starts
/// checking the inputs it copies at start-up as soon as its rules are known
/// (``InputsCopiedAhead/startChecking(under:on:)``), and its first ingest uses those checks only
/// if it would have made them alike.
struct ExtractCheck: Sendable {
    /// What a check's outcome depends on.
    struct Key: Equatable, Sendable {
        let rules: ContentHash
        let day: Day
        let confirmed: Bool
    }

    let key: Key
    /// The check of one copy; `nil` for an input that is not an extract. (Only tests give their
    /// own: any other check must be the ingest's, which its key describes.)
    let run: @Sendable (StagedInput) -> Result<Ingestor.PendingExtract, any Error>?

    init(key: Key, run: @escaping @Sendable (StagedInput) -> Result<Ingestor.PendingExtract, any Error>?) {
        self.key = key
        self.run = run
    }

    /// The ingest's check under `ruleSet` on `day`, for inputs in `home`'s inboxes.
    init(ruleSet: RuleSet, home: Home, day: Day, confirmed: Bool) {
        var options = Ingestor.readOptions(ruleSet, on: day)
        // Each check reads on the thread it was given: the inputs are checked side by side.
        options.usesOtherThreads = false
        self.init(key: Key(rules: ruleSet.contentHash, day: day, confirmed: confirmed)) { [options] staged in
            guard let prefix = try? FileIO.readPrefix(staged.path, count: 1 << 16),
                Ingestor.detectKind(prefix, name: staged.fileName, path: staged.source, home: home) == .extract
            else { return nil }
            return Result { try Ingestor.validateExtract(staged, options: options, confirmed: confirmed) }
        }
    }
}
