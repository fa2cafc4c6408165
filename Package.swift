// swift-tools-version: 6.1
//
// Outreach: a proactive population-health outreach scheduler for NHS primary care networks.
// Foundation and Dispatch only: no package dependencies, by the user's choice.
//
// The targets are the data flow. Each depends only on those above it, so the compiler keeps it honest:
//
//   Intrinsics      the processor's SHA-256 instructions, used where it has them
//   MemoryHints     a cache prefetch hint, in C (Swift cannot emit it): the event scan's lookups
//   Basics          days, CSV, safe file writes, checksums, large pages, errors that carry exit codes
//   Vocabulary      the words every layer shares: outcome codes, field types, content hashes, columns
//   RuleLanguage    rule files → a checked RuleSet                          (Basics, Vocabulary)
//   Population      practice extracts → columns of patients and events      (MemoryHints, Basics, Vocabulary)
//   Cohorts         RuleSet + Population → cohort members                   (… RuleLanguage, Population)
//   Journal         the append-only, checksummed history of every call      (Basics, Vocabulary)
//   Planning        pure: cases, the planner, forecast, call-list rows; no file I/O  (… Cohorts, Journal)
//   Reports         pure: the progress report's model, HTML, text and charts (… Planning)
//   Handoffs        pure: what goes to the practices' systems: codes, texts, letters (… Planning)
//   Operations      the home folder: session, lock, store, ingest, publish, returned lists, report files
//   Service         the daemon: inbox, rules watch, schedule, log, status    (… Operations)
//   Tooling         synthetic data, the simulator, bench, the demo: apart from what a PCN relies on
//   CLI             the argument parser and one file per command
//   outreach        main.swift: runs the CLI

import PackageDescription

// A release build links the Swift runtime and Foundation statically (see `releaseLinking`); the
// fuzz build (`Tests/Fuzz/run-fuzzers`, OUTREACH_FUZZ set) links them as shared libraries, as
// AddressSanitizer expects.
let linksStatically = Context.environment["OUTREACH_FUZZ"] == nil

let swiftSettings: [SwiftSetting] =
    [
        .swiftLanguageMode(.v6),
        .enableUpcomingFeature("ExistentialAny"),
    ]
    // Each module then names the static libraries it links to.
    + (linksStatically ? [.unsafeFlags(["-static-stdlib"], .when(platforms: [.linux], configuration: .release))] : [])

// The hot path (CSV bytes → fields → typed values → rule evaluation) runs without the run-time
// exclusivity checks of class properties in release builds: measured at about 5% of a 900,000
// patient run (`outreach bench`). Debug builds, and so `swift test`, keep them,
// and the compiler's static checks apply everywhere.
let hotPathSettings: [SwiftSetting] =
    swiftSettings + [
        .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))
    ]

// The processor's SHA-256 instructions are reached through the compiler's intrinsics, which
// need their features enabled where they are used: in this one small target, which uses them
// only when the processor says it has them (`SHA256Instructions.isAvailable`). The flags follow the
// architecture of the machine that builds: building for another one (a cross-compiling SDK) would
// need them set by hand.
#if arch(x86_64)
    let intrinsicsSettings = swiftSettings + [.unsafeFlags(["-Xcc", "-msha", "-Xcc", "-mssse3"])]
#else
    let intrinsicsSettings = swiftSettings
#endif

// The release binary carries the Swift runtime and Foundation inside it: the server it is installed
// on needs no Swift, and each command starts in about 5 ms instead of 11, with no shared libraries to
// load and bind (farm-bench: `cohorts` over compare-engines' 50,000 patients 0.92x, n = 21). It is
// linked by the toolchain's lld, which does not pass on static Foundation's notes about `mktemp`
// as warnings. Debug builds, and so `swift run` and `swift test`, link as usual; tests are built in
// debug only (a release test build would hold a second, shared Swift runtime for the test library).
let releaseLinking: [LinkerSetting] =
    linksStatically
    ? [.unsafeFlags(["-static-stdlib", "-use-ld=lld"], .when(platforms: [.linux], configuration: .release))] : []

let package = Package(
    name: "outreach",
    products: [
        .executable(name: "outreach", targets: ["outreach"])
    ],
    targets: [
        .target(name: "Intrinsics", swiftSettings: intrinsicsSettings),
        .target(name: "Basics", dependencies: ["Intrinsics"], swiftSettings: hotPathSettings),
        .target(name: "Vocabulary", dependencies: ["Basics"], swiftSettings: hotPathSettings),
        .target(name: "RuleLanguage", dependencies: ["Basics", "Vocabulary"], swiftSettings: swiftSettings),
        .target(name: "MemoryHints"),
        .target(
            name: "Population", dependencies: ["MemoryHints", "Basics", "Vocabulary"], swiftSettings: hotPathSettings),
        .target(
            name: "Cohorts", dependencies: ["Basics", "Vocabulary", "RuleLanguage", "Population"],
            swiftSettings: hotPathSettings),
        .target(name: "Journal", dependencies: ["Basics", "Vocabulary"], swiftSettings: swiftSettings),
        .target(
            name: "Planning",
            dependencies: ["Basics", "Vocabulary", "RuleLanguage", "Population", "Cohorts", "Journal"],
            swiftSettings: swiftSettings),
        .target(
            name: "Reports",
            dependencies: ["Basics", "Vocabulary", "RuleLanguage", "Population", "Cohorts", "Journal", "Planning"],
            swiftSettings: swiftSettings),
        .target(
            name: "Handoffs",
            dependencies: ["Basics", "Vocabulary", "RuleLanguage", "Population", "Cohorts", "Journal", "Planning"],
            swiftSettings: swiftSettings),
        .target(
            name: "Operations",
            dependencies: [
                "Basics", "Vocabulary", "RuleLanguage", "Population", "Cohorts", "Journal", "Planning", "Reports",
                "Handoffs",
            ],
            swiftSettings: swiftSettings),
        .target(
            name: "Service",
            dependencies: [
                "Basics", "Vocabulary", "RuleLanguage", "Population", "Cohorts", "Journal", "Planning", "Reports",
                "Operations",
            ],
            swiftSettings: swiftSettings),
        .target(
            name: "Tooling",
            dependencies: [
                "Basics", "Vocabulary", "RuleLanguage", "Population", "Cohorts", "Journal", "Planning", "Reports",
                "Operations", "Service",
            ],
            swiftSettings: swiftSettings),
        .target(
            name: "CLI",
            dependencies: [
                "Basics", "Vocabulary", "RuleLanguage", "Population", "Cohorts", "Journal", "Planning", "Reports",
                "Operations", "Service", "Tooling",
            ],
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "outreach", dependencies: ["CLI"], swiftSettings: swiftSettings, linkerSettings: releaseLinking),

        // What the tests share: golden files, temporary folders, days, the repository's paths.
        // A library, not a test target, so every test target can depend on it; it imports Testing.
        .target(
            name: "TestSupport", dependencies: ["Basics"], path: "Tests/TestSupport", swiftSettings: swiftSettings),

        .testTarget(
            name: "BasicsTests", dependencies: ["Intrinsics", "Basics", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "CLITests",
            dependencies: ["Basics", "RuleLanguage", "Cohorts", "Operations", "Tooling", "CLI", "TestSupport"],
            exclude: ["Snapshots"], swiftSettings: swiftSettings),
        .testTarget(
            name: "RuleLanguageTests", dependencies: ["Basics", "Vocabulary", "RuleLanguage", "TestSupport"],
            exclude: ["Fixtures", "Snapshots"], swiftSettings: swiftSettings),
        .testTarget(
            name: "PopulationTests", dependencies: ["Basics", "Vocabulary", "Population", "Tooling", "TestSupport"],
            exclude: ["Fixtures"], swiftSettings: swiftSettings),
        .testTarget(
            name: "CohortsTests",
            dependencies: ["Basics", "Vocabulary", "RuleLanguage", "Population", "Cohorts", "Tooling", "TestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "JournalTests", dependencies: ["Basics", "Vocabulary", "Journal", "Tooling", "TestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "PlanningTests",
            dependencies: [
                "Basics", "Vocabulary", "RuleLanguage", "Population", "Cohorts", "Journal", "Planning", "TestSupport",
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "OperationsTests",
            dependencies: [
                "Basics", "Vocabulary", "RuleLanguage", "Population", "Cohorts", "Journal", "Planning", "Operations",
                "Tooling", "TestSupport", "Handoffs",
            ],
            exclude: ["Snapshots"], swiftSettings: swiftSettings),
        .testTarget(
            name: "HandoffsTests",
            dependencies: [
                "Basics", "Vocabulary", "RuleLanguage", "Population", "Cohorts", "Journal", "Planning", "Handoffs",
                "Tooling", "TestSupport",
            ],
            exclude: ["Fixtures"], swiftSettings: swiftSettings),
        .testTarget(
            name: "ReportsTests",
            dependencies: [
                "Basics", "Vocabulary", "RuleLanguage", "Population", "Cohorts", "Journal", "Planning", "Reports",
                "Operations", "Tooling", "TestSupport",
            ],
            exclude: ["Snapshots"], swiftSettings: swiftSettings),
        .testTarget(
            name: "ServiceTests",
            dependencies: [
                "Basics", "Vocabulary", "RuleLanguage", "Population", "Cohorts", "Journal", "Planning", "Reports",
                "Operations", "Service", "Tooling", "TestSupport",
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "ClinicalSafetyTests",
            dependencies: [
                "Basics", "Vocabulary", "RuleLanguage", "Population", "Cohorts", "Journal", "Planning", "Reports",
                "Operations", "Service", "Tooling", "TestSupport", "Handoffs", "CLI",
            ],
            path: "Tests/ClinicalSafety", exclude: ["HAZARDS.md"], swiftSettings: swiftSettings),
        .testTarget(
            name: "EndToEndTests", dependencies: ["Basics", "outreach", "TestSupport"], swiftSettings: swiftSettings),
    ]
)

// libFuzzer targets, built only by `Tests/Fuzz/run-fuzzers` (which sets OUTREACH_FUZZ and builds with
// `-sanitize=fuzzer,address`): they run libFuzzer's driver, which an ordinary build does not link.
if Context.environment["OUTREACH_FUZZ"] != nil {
    package.targets += [
        .target(name: "FuzzSupport", path: "Tests/Fuzz/FuzzSupport", swiftSettings: swiftSettings),
        .executableTarget(
            name: "FuzzExtractReader", dependencies: ["FuzzSupport", "Basics", "Vocabulary", "Population"],
            path: "Tests/Fuzz/FuzzExtractReader", swiftSettings: swiftSettings),
        .executableTarget(
            name: "FuzzRules", dependencies: ["FuzzSupport", "Basics", "RuleLanguage"], path: "Tests/Fuzz/FuzzRules",
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "FuzzReturnedList", dependencies: ["FuzzSupport", "Basics", "Journal", "Operations"],
            path: "Tests/Fuzz/FuzzReturnedList", swiftSettings: swiftSettings),
    ]
}
