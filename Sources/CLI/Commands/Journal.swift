import Basics
import Journal
import Operations
import Planning

extension Commands {
    static let journal = Command(
        spec: CommandSpec(
            name: "journal",
            summary: "The whole call history, for audit.",
            usage: "journal --home DIR --csv [--out FILE]",
            discussion:
                "One row per journal record, in order (the columns are listed in Rules/REFERENCE.md). The export holds "
                + "NHS numbers and notes: prefer --out, which writes the file owner-only (0600); a shell "
                + "redirection gives it the shell's permissions. Reads without the lock, so it works while the "
                + "daemon runs.",
            examples: [
                "outreach journal --home /srv/outreach --csv --out history.csv",
                "outreach journal --home /srv/outreach --csv > history.csv",
            ],
            options: [
                .value("home", "DIR", help: "The home folder."),
                .flag("csv", help: "Write the history as CSV."),
                .value("out", "FILE", help: "Write the CSV to FILE (0600) instead of standard output."),
            ]),
        run: { arguments in
            let home = Home(path: try arguments.required("home"))
            guard arguments.has("csv") else {
                throw UsageError("say which format: --csv (the only one so far)", command: "journal")
            }
            try home.requireExists()
            if let out = arguments.value("out") {
                if FileIO.exists(home.journal) {
                    try JournalExport.writeCSV(journalAt: home.journal, to: out)
                } else {
                    try FileIO.writeAtomically(text: emptyJournalCSV, to: out)
                }
            } else if FileIO.exists(home.journal) {
                try JournalExport.csv(journalAt: home.journal) { Terminal.write($0) }
            } else {
                Terminal.write(emptyJournalCSV)
            }
            return .success
        })

    /// The export of a home that has no journal yet: the header alone.
    private static var emptyJournalCSV: String {
        var writer = CSVWriter(byteOrderMark: true)
        writer.append(JournalExport.columns)
        return writer.output
    }
}
