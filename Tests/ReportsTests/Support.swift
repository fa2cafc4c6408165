import Foundation
import Testing
import Basics
import Operations
import Planning
import Population
import Reports
import TestSupport
@testable import Tooling

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A PCN played for three weeks with the shipped rules, built once for every test that reads it:
/// three practices of 400 synthetic patients, extracted and ingested on Monday 26 October 2026,
/// then fifteen working days of simulated calls from Monday 2 November (seeded), with the report
/// refreshed after the third day and after the last.
struct Scenario: Sendable {
    let home: Home
    /// As of Wednesday 4 November, after three days of calls.
    let early: ProgressReport
    /// The HTML `refresh` wrote for the early report.
    let earlyHTML: String
    /// As of Friday 20 November, after fifteen days of calls.
    let late: ProgressReport
    let lateHTML: String

    static let earlyDay = day("2026-11-04")
    static let lateDay = day("2026-11-20")

    static let shared: Result<Scenario, any Error> = Result { try Scenario.build() }

    private static func build() throws -> Scenario {
        let base = try scenarioFolder.get()
        // The reports and pages are held in memory; the home is removed when the test process ends.
        atexit { if case .success(let folder) = scenarioFolder { try? FileIO.removeTree(folder) } }
        let extracts = base + "/extracts"
        let extractDay = day("2026-10-26")
        _ = try Synthesizer.write(
            SynthOptions(patients: 1200, practices: 3, layout: .canonical, seed: 7, asOf: extractDay), to: extracts)
        let files = try FileIO.listDirectory(extracts).filter { !$0.hasPrefix(".") }.sorted().map {
            extracts + "/" + $0
        }
        let home = try Home.create(at: base + "/home", rulesFrom: Repository.rules)
        let session = try HomeSession(home: home)
        _ = try Ingestor.ingest(
            session, paths: files, at: LocalDateTime(day: extractDay, minuteOfDay: 8 * 60), moveInputs: false)
        let model = OutcomeModel(answerRate: 0.6, seed: 11)
        _ = try Simulator.run(session, days: 3, from: day("2026-11-02"), model: model)
        let early = try ReportWriter.refresh(session: session, asOf: earlyDay)
        let earlyHTML = try FileIO.readText(home.reports + "/report.html")
        _ = try Simulator.run(session, days: 12, from: nil, model: model)
        let late = try ReportWriter.refresh(session: session, asOf: lateDay)
        let lateHTML = try FileIO.readText(home.reports + "/report.html")
        return Scenario(home: home, early: early, earlyHTML: earlyHTML, late: late, lateHTML: lateHTML)
    }
}

/// Where the scenario's home and extracts are built: a folder that outlives any one test.
private let scenarioFolder = Result { try makeTemporaryDirectory() }

/// An element of a parsed XML document: enough of a tree to check the report's structure.
final class XMLNode {
    let name: String
    let attributes: [String: String]
    var children: [XMLNode] = []
    var text = ""

    init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    /// Every element below this one (not itself), in document order.
    var descendants: [XMLNode] { children.flatMap { [$0] + $0.descendants } }

    /// The text of this element and everything below it.
    var allText: String { text + children.map(\.allText).joined() }

    /// Whether the `class` attribute holds `name`.
    func hasClass(_ name: String) -> Bool {
        (attributes["class"] ?? "").split(separator: " ").contains { $0 == name }
    }

    func descendants(named name: String) -> [XMLNode] { descendants.filter { $0.name == name } }
}

/// Parses text as XML with Foundation's strict parser: a parse error means the page is not well-formed.
final class XMLTreeBuilder: NSObject, XMLParserDelegate {
    private var stack: [XMLNode] = []
    private(set) var root: XMLNode?

    static func parse(_ text: String) throws -> XMLNode {
        let parser = XMLParser(data: Data(text.utf8))
        let builder = XMLTreeBuilder()
        parser.delegate = builder
        parser.shouldProcessNamespaces = false
        guard parser.parse(), let root = builder.root else {
            throw XMLFailure(
                message: parser.parserError.map { "\($0)" } ?? "no root element",
                line: parser.lineNumber, column: parser.columnNumber)
        }
        return root
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        let node = XMLNode(name: elementName, attributes: attributes)
        stack.last?.children.append(node)
        if root == nil { root = node }
        stack.append(node)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        stack.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        stack.last?.text += string
    }
}

struct XMLFailure: Error, CustomStringConvertible {
    let message: String
    let line: Int
    let column: Int
    var description: String { "not well-formed XML at \(line):\(column): \(message)" }
}
