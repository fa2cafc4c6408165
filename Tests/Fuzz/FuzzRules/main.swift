import FuzzSupport

runFuzzer { fuzzRules($0, $1) }
