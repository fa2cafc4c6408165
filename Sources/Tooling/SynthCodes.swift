import Basics
import Population

/// Real codes the synthetic events use, each from a codelist in `shared/codelists/`.
enum SynthCodes {
    /// primis-covid19-vacc-uptake-shield.csv
    static let shielding = ("1300561000000107", "High risk category for developing complication from COVID-19")
    /// primis-covid19-vacc-uptake-nonshield.csv
    static let nonShielding = [
        ("1300571000000100", "Moderate risk category for developing complication from COVID-19"),
        ("1300591000000101", "Low risk category for developing complication from COVID-19"),
    ]
    /// primis-covid19-vacc-uptake-carer.csv
    static let carer = [
        ("133932002", "Caregiver"), ("1364141000000107", "Unpaid caregiver"),
        ("824401000000105", "Carer of person with dementia"),
        ("248611000000108", "Carer of a person with a terminal illness"),
    ]
    /// primis-covid19-vacc-uptake-notcarer.csv
    static let notCarer = [("199361000000101", "Is no longer a carer"), ("506401000000109", "Not a carer")]
    /// The bereavement code of the rule-language spec's examples (SNOMED CT 74506000, Bereavement);
    /// no public bereavement codelist was found (codelists/SOURCES.md).
    static let bereavement = ("74506000", "Bereavement")
    /// primis-covid19-vacc-uptake-diab.csv
    static let diabetes = [
        ("44054006", "Diabetes mellitus type 2"), ("46635009", "Diabetes mellitus type 1"),
        ("73211009", "Diabetes mellitus"),
    ]
    /// primis-covid19-vacc-uptake-dmres.csv
    static let diabetesResolved = ("315051004", "Diabetes resolved")
    /// primis-covid19-vacc-uptake-ast.csv
    static let asthma = [("195967001", "Asthma"), ("233678006", "Childhood asthma")]
    /// nhsd-primary-care-domain-refsets-copd_cod.csv
    static let copd = [
        ("13645005", "Chronic obstructive lung disease"), ("185086009", "Chronic obstructive bronchitis"),
    ]
    /// opensafely-housebound.csv and opensafely-no-longer-housebound.csv
    static let housebound = [("160689007", "Housebound"), ("276041000000103", "Temporarily housebound")]
    static let noLongerHousebound = ("760661000000106", "No longer housebound")
    /// nhsd-primary-care-domain-refsets-palcare_cod.csv
    static let palliative = [
        ("103735009", "Palliative care"), ("1034241000000106", "Has end of life care key general practitioner"),
    ]
    /// primis-covid19-vacc-uptake-sev_mental.csv
    static let severeMentalIllness = [
        ("58214004", "Schizophrenia"), ("13746004", "Bipolar disorder"), ("69322001", "Psychotic disorder"),
    ]
    /// primis-covid19-vacc-uptake-smhres.csv
    static let mentalIllnessRemission = ("111485001", "Mixed bipolar I disorder in full remission")
    /// primis-covid19-vacc-uptake-longres.csv (residents, not the care home staff of carehome.csv)
    static let careHomeResident = [("248171000000108", "Lives in care home"), ("160734000", "Lives in nursing home")]
    /// Social prescribing declined (SNOMED CT 871711000000103, the spec's example code).
    static let socialPrescribingDeclined = ("871711000000103", "Social prescribing declined")
    /// Everyday observations (SNOMED CT), with a value range, plus an EMIS-style local code and a
    /// Read code, which real extracts carry beside SNOMED.
    static let background: [(code: String, term: String, values: ClosedRange<Double>?)] = [
        ("271649006", "Systolic blood pressure", 100...175), ("271650006", "Diastolic blood pressure", 60...100),
        ("27113001", "Body weight", 45...120), ("60621009", "Body mass index", 17...40),
        ("365981007", "Tobacco smoking behaviour", nil), ("EMISNQBL12", "Blood pressure recorded by patient", nil),
        ("22K..", "Body Mass Index", 17...40),
    ]
}
