import FuzzSupport

runFuzzer { fuzzReturnedList($0, $1) }
