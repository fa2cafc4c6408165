import Basics
import Operations
import RuleLanguage

/// Rules: the folder watched and re-checked, the last good rules kept in force, and the journal
/// (re)opened under them.
extension Daemon {
    /// Asks for the rules to be re-checked at the next cycle (what SIGHUP does).
    public func requestRulesCheck() {
        rulesRecheckRequested = true
    }

    /// Re-checks the rules when the folder changed or SIGHUP asked: good new rules take effect by
    /// reopening the journal under them; rules with errors leave the rules in force as they are.
    func checkRules(_ now: LocalDateTime) {
        let fingerprint = FolderFingerprint.of(home.rules)
        let changed = rulesWatch.observe(fingerprint)
        guard changed || rulesRecheckRequested else { return }
        rulesRecheckRequested = false
        rulesWatch.markChecked(fingerprint)
        let check = RulesCheck.check(home.rules)
        noteRules(check, now: now)
        guard let ruleSet = check.ruleSet else { return }
        if let current = rulesInForce, current.contentHash == ruleSet.contentHash {
            logger.info("rules re-checked: unchanged (version \(current.version))")
            return
        }
        let previous = rulesInForce?.version
        rulesInForce = ruleSet
        keepRules(ruleSet)
        dropSession(now)
        do {
            try openSession(ruleSet)
        } catch {
            failure("home", "cannot open the journal: \(Daemon.logText(error))", now: now, machine: true)
            stopIfDamaged(error)
        }
        logger.info(
            "rules version \(ruleSet.version) are valid and take effect from the next plan"
                + (previous.map { " (they replace version \($0))" } ?? ""))
    }

    /// Keeps a copy of the rules just put in force, for a start while `Rules/` has errors: on
    /// another thread, beside the cycle (the copy is written and synced, which a morning need not
    /// wait for). A failure to is logged, and the daemon carries on.
    func keepRules(_ ruleSet: RuleSet) {
        finishKeepingRules()
        rulesBeingKept = BackgroundWork { [home] in
            do {
                try LastGoodRules(home: home).keep(ruleSet)
                return nil
            } catch {
                return "cannot keep a copy of rules version \(ruleSet.version): \(Daemon.logText(error))"
            }
        }
    }

    /// Waits for the copy ``keepRules(_:)`` is making, if any, and logs its failure.
    func finishKeepingRules() {
        guard let work = rulesBeingKept else { return }
        rulesBeingKept = nil
        if let failure = work.wait() { logger.warning(failure) }
    }

    /// Puts a check's result in the status and the log.
    func noteRules(_ check: RulesCheck, now: LocalDateTime) {
        status.rules.checked = now.description
        status.rules.valid = check.ruleSet != nil
        status.rules.errors = check.errors
        guard check.ruleSet == nil else { return }
        let inForce =
            rulesInForce.map { "the rules in force stay version \($0.version)" }
            ?? "no rules are in force: nothing is ingested or published until they are fixed"
        failure(
            "rules", "\(home.rules) has \(Formatting.count(check.errors.count, "error")); \(inForce)", now: now,
            machine: false)
        for error in check.errors { logger.error("rules: \(error)") }
    }

    /// Opens the journal under `ruleSet` with the daemon's lock, and finishes a publish that a
    /// killed run left half done.
    func openSession(_ ruleSet: RuleSet) throws {
        guard let lock else { return }
        let opened = try HomeSession(home: home, ruleSet: ruleSet, holding: lock)
        if let tail = opened.journal.recovered {
            logger.warning("journal: cut off an unfinished write at the end: \(tail)")
        }
        do {
            try Publisher.finishInterrupted(opened)
        } catch {
            // Publishing tries again; the journal is fine.
            logger.error("outbox: cannot finish an interrupted publish: \(Daemon.logText(error))")
        }
        // The inbox entries of a morning's extracts go while it publishes (``cycle()`` waits).
        opened.removesInputsInBackground = true
        opened.inputsCopiedAhead = copiedAhead
        session = opened
        statusSource = nil
        let records = Formatting.count(opened.journal.history.recordCount, "record")
        logger.info("rules version \(ruleSet.version) in force; journal open (\(records))")
    }

}
