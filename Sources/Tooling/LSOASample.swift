/// Real 2021 LSOA codes with their IMD 2025 deciles, for synthetic patients' `lsoa` and `imd_decile`.
///
/// Source: MHCLG English Indices of Deprivation 2025, File 7 (Open Government Licence v3.0), as
/// packaged in `shared/reference/imd2025_england_lsoa21.csv` (see its SOURCES.md; columns
/// `lsoa21_code`, `IMD_decile`). Five runs of consecutive codes: codes are numbered within a
/// local authority, so each run is one area and gives the local clustering real practices see.
/// Each run is written `offset:decile` from its start code.
enum LSOASample {
    static let runs: [(start: Int, deciles: String)] = [
        // E01009281 to E01009360 (73 LSOAs, most deprived on average)
        (
            start: 1009281,
            deciles:
                "0:6 1:3 2:5 3:6 5:7 7:6 8:5 9:7 10:3 11:8 12:3 13:3 14:5 15:2 16:1 17:1 18:1 19:1 20:1 21:4 22:1 23:2 24:1 25:2 26:1 27:1 28:1 29:1 30:1 31:5 32:4 33:2 34:3 35:3 36:3 37:6 38:6 39:3 40:1 41:1 42:1 43:5 44:1 45:1 46:1 47:1 48:1 50:1 51:1 52:1 53:1 54:1 56:1 57:1 58:1 60:1 61:1 62:1 63:1 64:1 65:1 66:1 67:2 68:1 69:1 70:1 71:1 72:1 73:1 74:1 77:1 78:1 79:1"
        ),
        // E01016561 to E01016640 (78 LSOAs, least deprived on average)
        (
            start: 1016561,
            deciles:
                "0:10 1:10 2:10 3:6 4:9 5:5 6:9 7:7 8:6 9:10 10:10 11:9 12:5 13:7 14:9 15:8 16:5 17:8 18:6 19:5 20:7 21:8 22:10 23:8 24:10 25:10 26:9 27:6 28:10 30:10 31:10 32:4 33:6 34:9 35:10 36:10 37:10 38:5 39:10 40:10 41:10 42:10 43:10 44:9 45:10 46:10 47:9 48:8 50:8 51:10 52:7 53:9 54:5 55:8 56:10 57:10 58:10 59:10 60:9 61:10 62:10 63:10 64:10 65:8 66:10 67:10 68:10 69:10 70:9 71:10 72:10 73:9 74:10 75:10 76:10 77:10 78:9 79:10"
        ),
        // E01001041 to E01001120 (76 LSOAs, mixed)
        (
            start: 1001041,
            deciles:
                "0:3 1:2 3:8 5:8 6:4 8:9 9:5 10:2 11:2 12:2 13:2 14:2 15:1 16:1 17:7 18:5 19:5 20:4 21:7 22:9 23:8 24:6 25:2 26:10 27:6 28:10 29:6 30:8 31:10 32:7 33:5 34:7 35:2 36:6 37:2 38:2 39:1 40:3 41:2 42:8 43:8 44:5 45:6 46:3 47:6 48:3 49:4 50:6 51:5 52:7 53:10 54:5 55:10 56:3 57:10 58:5 59:9 60:10 61:10 62:10 63:10 64:7 65:7 66:10 67:10 68:3 69:2 70:4 71:3 72:3 73:2 74:2 75:3 77:2 78:10 79:9"
        ),
        // E01030321 to E01030400 (77 LSOAs, least deprived on average)
        (
            start: 1030321,
            deciles:
                "0:10 1:8 2:10 3:10 4:9 5:9 6:10 7:10 8:10 9:9 10:9 11:7 12:9 13:8 14:7 15:5 16:5 17:10 18:9 19:9 20:10 21:10 22:10 23:10 24:10 25:10 26:8 27:10 28:10 29:10 30:10 31:9 32:10 33:3 34:10 35:9 36:10 37:9 39:10 40:8 41:3 42:6 43:3 44:10 45:8 46:10 47:10 48:10 49:10 50:5 51:9 52:9 53:9 54:10 55:10 56:10 57:10 58:10 59:10 60:10 61:10 63:8 64:3 65:10 66:10 67:9 68:9 69:7 70:9 71:10 72:8 73:10 74:10 75:10 77:10 78:6 79:2"
        ),
        // E01005201 to E01005280 (74 LSOAs, most deprived on average)
        (
            start: 1005201,
            deciles:
                "0:1 1:1 2:1 4:1 5:1 6:1 7:4 9:3 11:5 12:1 13:5 14:2 15:4 16:5 17:3 18:1 19:2 20:2 21:1 22:2 23:1 24:1 25:1 26:1 27:1 28:4 29:1 30:5 31:1 32:1 33:1 34:1 35:1 36:1 37:1 38:1 42:1 43:3 44:1 45:1 46:4 47:5 48:3 49:2 50:2 51:1 52:2 53:4 54:1 55:1 56:1 57:1 58:1 59:2 60:1 61:2 62:2 63:2 64:2 65:2 66:5 67:5 68:6 69:2 70:3 71:1 72:4 73:2 74:8 75:5 76:8 77:4 78:3 79:1"
        ),
    ]

    /// The runs decoded: for each, the LSOA codes and their deciles.
    static let areas: [[(code: String, decile: UInt8)]] = runs.map { run in
        run.deciles.split(separator: " ").map { cell in
            let parts = cell.split(separator: ":")
            let code = run.start + Int(parts[0])!
            return (code: "E0" + String(code), decile: UInt8(parts[1])!)
        }
    }
}
