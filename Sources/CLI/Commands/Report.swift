import Basics
import Operations
import Planning
import Reports

extension Commands {
    static let report = Command(
        spec: CommandSpec(
            name: "report",
            summary: "Progress and equity report: a text summary, and HTML with charts.",
            usage: "report --home DIR [--as-of DATE] [--out FILE.html]",
            discussion: """
                Prints counts only (no names or NHS numbers). The HTML report lists the people to write to
                and the unreachable by name and NHS number: it is patient data, written readable by its owner
                only (0600). Without --out it goes to HOME/reports/report.html, with the forecast beside it in
                forecast.txt. It reads the home without its lock, so it can run while the daemon does.
                """,
            examples: ["outreach report --home /srv/outreach --out report.html"],
            options: [
                .value("home", "DIR", help: "The home folder."),
                .value(
                    "as-of", "DATE",
                    help:
                        "The day to report on (YYYY-MM-DD); 'today' means the home's last list day when that is later.",
                    default: "today"),
                .value("out", "FILE", help: "Write the HTML report here.", default: "HOME/reports/report.html"),
            ]),
        run: { arguments in
            let home = Home(path: try arguments.required("home"))
            let day = arguments.value("as-of") == "today" ? nil : try asOf(arguments)
            let report = try ReportWriter.report(home: home, asOf: day, today: WallClock.today())
            let path: String
            if arguments.has("out") {
                path = try arguments.required("out")
                try ReportWriter.writeHTML(report, to: path)
            } else {
                try ReportWriter.write(report, to: home)
                path = FileIO.join(home.reports, ReportWriter.reportFileName)
            }
            Terminal.write(ReportText.summary(report))
            Terminal.write("\nHTML report (patient data: keep it within the PCN): \(path)\n")
            return .success
        })
}
