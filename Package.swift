// swift-tools-version: 6.1
//
// Outreach: a proactive population-health outreach scheduler for NHS primary care networks.
// Foundation and Dispatch only: no package dependencies, by the user's choice.
// Each library target depends only on those above it, so the compiler keeps the data flow honest:
// Basics → RuleLanguage → Population → Cohorts → Journal → Scheduling → Reports → Service → outreach.

import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

// The hot path (CSV bytes → fields → typed values → rule evaluation) runs without the run-time
// exclusivity checks of class properties in release builds: measured at about 5% of a 900,000
// patient run (`outreach bench`, compare-engines). Debug builds, and so `swift test`, keep them,
// and the compiler's static checks apply everywhere.
let hotPathSettings: [SwiftSetting] = swiftSettings + [
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))
]

let package = Package(
    name: "outreach",
    products: [
        .executable(name: "outreach", targets: ["outreach"])
    ],
    targets: [
        .target(name: "Basics", swiftSettings: hotPathSettings),
        .target(name: "RuleLanguage", dependencies: ["Basics"], swiftSettings: swiftSettings),
        .target(name: "Population", dependencies: ["Basics", "RuleLanguage"], swiftSettings: hotPathSettings),
        .target(name: "Cohorts", dependencies: ["Basics", "RuleLanguage", "Population"], swiftSettings: hotPathSettings),
        .target(name: "Journal", dependencies: ["Basics", "RuleLanguage"], swiftSettings: swiftSettings),
        .target(
            name: "Scheduling",
            dependencies: ["Basics", "RuleLanguage", "Population", "Cohorts", "Journal"],
            swiftSettings: swiftSettings),
        .target(
            name: "Reports",
            dependencies: ["Basics", "RuleLanguage", "Population", "Cohorts", "Journal", "Scheduling"],
            swiftSettings: swiftSettings),
        .target(
            name: "Service",
            dependencies: ["Basics", "RuleLanguage", "Population", "Cohorts", "Journal", "Scheduling", "Reports"],
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "outreach",
            dependencies: ["Basics", "RuleLanguage", "Population", "Cohorts", "Journal", "Scheduling", "Reports", "Service"],
            swiftSettings: swiftSettings),

        .testTarget(name: "BasicsTests", dependencies: ["Basics"], swiftSettings: swiftSettings),
        .testTarget(
            name: "RuleLanguageTests", dependencies: ["Basics", "RuleLanguage"],
            exclude: ["Fixtures", "Snapshots"], swiftSettings: swiftSettings),
        .testTarget(
            name: "PopulationTests", dependencies: ["Basics", "RuleLanguage", "Population"],
            exclude: ["Fixtures"], swiftSettings: swiftSettings),
        .testTarget(
            name: "CohortsTests", dependencies: ["Basics", "RuleLanguage", "Population", "Cohorts"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "JournalTests", dependencies: ["Basics", "RuleLanguage", "Journal"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SchedulingTests",
            dependencies: ["Basics", "RuleLanguage", "Population", "Cohorts", "Journal", "Scheduling"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "ReportsTests",
            dependencies: ["Basics", "RuleLanguage", "Population", "Cohorts", "Journal", "Scheduling", "Reports"],
            exclude: ["Snapshots"], swiftSettings: swiftSettings),
        .testTarget(
            name: "ServiceTests",
            dependencies: ["Basics", "RuleLanguage", "Population", "Cohorts", "Journal", "Scheduling", "Reports", "Service"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "ClinicalSafetyTests",
            dependencies: ["Basics", "RuleLanguage", "Population", "Cohorts", "Journal", "Scheduling", "Reports", "Service"],
            path: "Tests/ClinicalSafety", exclude: ["HAZARDS.md"], swiftSettings: swiftSettings),
        .testTarget(
            name: "EndToEndTests", dependencies: ["Basics", "outreach"], swiftSettings: swiftSettings),
    ]
)
