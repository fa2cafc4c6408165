import Basics

extension Commands {
    static let report = Command(
        spec: CommandSpec(
            name: "report",
            summary: "Progress and equity report: a text summary, and HTML with charts.",
            usage: "report --home DIR [--as-of DATE] [--out FILE.html]",
            examples: ["outreach report --home /srv/outreach --out report.html"],
            options: [
                .value("home", "DIR", help: "The home folder."),
                .value("as-of", "DATE", help: "The day to report on (YYYY-MM-DD).", default: "today"),
                .value("out", "FILE", help: "Write the HTML report here.", default: "HOME/reports/report.html"),
            ]),
        run: notBuiltYet("report"))
}
