// Parsing the contact block: who is not to be rung or texted, and who needs an interpreter.

import Basics

extension Parser {
    mutating func parseContact() -> ContactSyntax {
        let keyword = advance()
        var statements: [ContactStatement] = []
        parseBlock(opening: keyword.range, describe: "contact", statementWords: ContactStatementWords.all) {
            parser, word in
            let start = parser.current.range
            parser.advance()
            var kind: ContactStatement.Kind?
            switch word {
            case "not":
                if parser.expectWords(["by", "telephone", "if"], shape: "not by telephone if CONDITION") {
                    kind = .notByTelephone(parser.parseCondition(after: "not by telephone if"))
                }
            case "no":
                if parser.expectWords(["texts", "if"], shape: "no texts if CONDITION") {
                    kind = .noTexts(parser.parseCondition(after: "no texts if"))
                }
            default:
                let shape = "interpreter \"LANGUAGE\" if CONDITION"
                if let language = parser.parseText(what: "the language in quotes, such as \"Polish\""),
                    parser.expectWords(["if"], shape: shape)
                {
                    kind = .interpreter(language, parser.parseCondition(after: "interpreter … if"))
                }
            }
            if let kind { statements.append(ContactStatement(kind: kind, range: start.joined(parser.previousEnd))) }
        }
        return ContactSyntax(statements: statements, range: keyword.range)
    }
}

/// The words that start `contact` statements.
enum ContactStatementWords {
    static let all = ["not", "no", "interpreter"]
}
