import Basics
import Testing

@testable import Population
import TestSupport
import Vocabulary
@testable import Tooling

/// Synthetic addresses: written for every layout under its own headers, read back as meant, and
/// drawn apart from everything else, so the rest of each file is byte for byte what it was before
/// synth wrote addresses.
@Suite struct SynthAddressTests {
    static let options = SynthOptions(patients: 300, practices: 2, seed: 42, asOf: day("2024-03-01"))

    /// The address headers each layout writes.
    static let headers: [SynthLayout: [String]] = [
        .canonical: CanonicalColumn.addressLines.map(\.rawValue),
        .emis: ["House Name/Flat Number", "Number and Street", "Village", "Town", "County"],
        .systmone: ["House name", "Road", "Locality", "Post town", "County"],
    ]

    /// SHA-256 of each file synth wrote for ``options`` before it wrote addresses (in file order:
    /// patients then events, per practice), recorded from the code before the change (where
    /// ``without(_:in:lineEnd:)`` gave every file back byte for byte).
    static let before: [SynthLayout: [String]] = [
        .canonical: [
            "ee78b228095568b8624195648e9794d4bf36993566a7360d9523c0367563c42d",
            "3fd77da3e666e7ba99b8b34e917f024e431c3e27378fc5adad4ad8c9f9a9b4fb",
            "c81beb8f8072b2f6978874cd5b19cf8bb07ebcf7114839b9442bd39d96a7efc7",
            "fa2ecf2281c09a4176e9e8992e817bb9110ea0b9a868680144d02ab0171627d0",
        ],
        .emis: [
            "0cb4af6a4c8e0410a20caa1a310924c1450f206b74f86a62c388c8b055414f28",
            "b3ab8be2fa3c94506c42aeeca916b5303bf58b5faa6ad7d6cb7145ca7e8af73c",
            "05878edffa3d8906b44a3b77a4a876f1933f7378f6c54cc2955fa8b5306ef4fd",
            "272204fd100681238e11fa0e76a36a2d18f3b63b1d4ea0e137770fa3d0f8202d",
        ],
        .systmone: [
            "f0d7c50010e83c67b867fa239a1c50704daa2f080c23766d970cc40d2657e03f",
            "98537ef5d7491d89792025249f9639a5b2bb2a83a6454fd587bbafc9718ca3cb",
            "da9d24461765508ccb02891d8371ddaae3c41b5845ff901a116327baf8bcc09e",
            "a0fa5623bdf86604dfd6bc9b7d8055479a0865ac6fd6a0bca59295bc1599a20c",
        ],
    ]

    /// `bytes` as synth writes a file, without the columns whose header is in `dropped`: each
    /// line (synth writes no line break inside a cell) re-written cell by cell as synth writes it.
    static func without(_ dropped: [String], in bytes: [UInt8], lineEnd: [UInt8]) throws -> [UInt8] {
        var out: [UInt8] = []
        var positions: Set<Int>?
        var rest = bytes[...]
        while !rest.isEmpty {
            let end = rest.firstRange(of: lineEnd)!
            let line = Array(rest[..<end.lowerBound])
            rest = rest[end.upperBound...]
            defer { out += lineEnd }
            let reader = CSVReader(bytes: line, name: "synth.csv")
            guard try reader.next(), !line.isEmpty else { continue }
            var cells = reader.record
            if positions == nil, cells.contains(where: dropped.contains) {
                positions = Set(cells.indices.filter { dropped.contains(cells[$0]) })
            }
            if let positions { cells = cells.indices.filter { !positions.contains($0) }.map { cells[$0] } }
            let bom: [UInt8] = reader.hadByteOrderMark ? [0xEF, 0xBB, 0xBF] : []
            out +=
                bom + Array(cells.map { CSVWriter.escape($0, neutraliseFormulas: false) }.joined(separator: ",").utf8)
        }
        return out
    }

    @Test(arguments: SynthLayout.allCases)
    func writesAddressesAndLeavesTheRestOfEveryFileAsItWas(_ layout: SynthLayout) throws {
        var options = Self.options
        options.layout = layout
        let (_, files) = SynthTests.generate(options, keepRecords: false)
        let lineEnd: [UInt8] = layout == .canonical ? [0x0A] : [0x0D, 0x0A]
        let headers = Self.headers[layout]!
        var digests: [String] = []
        for (name, bytes) in files {
            let rest = try Self.without(headers, in: bytes, lineEnd: lineEnd)
            if name.hasSuffix("-events.csv") { #expect(rest == bytes, "\(name) is untouched") }
            digests.append(SHA256.hexDigest(rest))
        }
        #expect(digests == Self.before[layout]!, "\(layout)")
        let patients = try readBytes(files, options: ReadOptions(today: day("2024-03-01")))
        #expect(
            patients.files[0].layout.columns.filter { headers.contains($0.header) }.compactMap(\.canonical)
                == CanonicalColumn.addressLines)
    }

    @Test(arguments: SynthLayout.allCases)
    func readsBackTheAddressesItMeantWithAFewIncomplete(_ layout: SynthLayout) throws {
        var options = Self.options
        options.layout = layout
        options.patients = 2000
        let (synthetic, files) = SynthTests.generate(options)
        let population = try readBytes(files, options: ReadOptions(today: day("2024-03-01"))).population
        var incomplete = 0
        for expected in synthetic.patients {
            let index = try #require(population.index(of: expected.nhsNumber.value))
            #expect(population.addressLines(of: index) == expected.addressLines)
            if expected.addressLines.count < 2 { incomplete += 1 }
        }
        let share = Double(incomplete) / Double(synthetic.patients.count)
        #expect((0.02...0.08).contains(share), "\(incomplete) of \(synthetic.patients.count) incomplete")
        #expect(synthetic.patients.contains { $0.addressLines.contains { $0.contains(",") } })
    }

    @Test func anAddressDependsOnlyOnTheNHSNumberAndPractice() {
        let one = SyntheticAddress(nhs: 9_990_010_013, practice: 1)
        #expect(one == SyntheticAddress(nhs: 9_990_010_013, practice: 1))
        #expect(one.lines.count == 5)
        let towns = Set((0..<4).map { SyntheticAddress(nhs: 9_990_010_021, practice: $0).lines[3] })
        #expect(towns.isSubset(of: Set(SyntheticAddress.towns + [""])))
    }
}
