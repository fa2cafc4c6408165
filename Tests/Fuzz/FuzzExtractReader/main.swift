import FuzzSupport

runFuzzer { fuzzExtractReader($0, $1) }
