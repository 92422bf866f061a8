import Foundation
import Testing
import TokenScriptTesting
import TokenScriptXML

/// A schema whose `xs:import` names a file that does not exist compiles, with the import skipped, as libxml2's
/// own loader (and `xmllint --schema`) has it: the published 2019/10 asnx.xsd imports an ethereum.xsd that was
/// never published, and without this the whole 2019/10 schema failed to compile.
@Suite("Schema imports")
struct SchemaImportTests {
    static let schema = """
        <?xml version="1.0" encoding="UTF-8"?>
        <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified"
                   targetNamespace="http://tokenscript.org/2019/10/tokenscript">
            <xs:import namespace="urn:example:never-published" schemaLocation="never-published.xsd"/>
            <xs:element name="token">
                <xs:complexType><xs:attribute name="custodian" type="xs:boolean"/></xs:complexType>
            </xs:element>
        </xs:schema>
        """

    static func validate(_ document: String) throws -> (XMLReadResult, XMLSchemaSet) {
        let directory = try TemporaryDirectory()
        try schema.write(toFile: directory.path + "/tokenscript.xsd", atomically: true, encoding: .utf8)
        let schemas = try XMLSchemaSet(directory: directory.path)
        let result = try XMLDocumentReader.read(
            bytes: Array(document.utf8), file: "doc.xml", directory: directory.path, schemas: schemas)
        return (result, schemas)
    }

    @Test("a missing import is skipped and the schema compiles and validates")
    func missingImportSkipped() throws {
        let (valid, schemas) = try Self.validate(
            #"<token xmlns="http://tokenscript.org/2019/10/tokenscript" custodian="false"/>"#)
        #expect(schemas.compilationProblems.isEmpty, "\(schemas.compilationProblems)")
        #expect(valid.schemaFile?.hasSuffix("/tokenscript.xsd") == true)
        #expect(valid.problems.isEmpty, "\(valid.problems)")

        let (invalid, _) = try Self.validate(
            #"<token xmlns="http://tokenscript.org/2019/10/tokenscript" custodian="maybe"/>"#)
        #expect(invalid.problems.contains { $0.kind == .schema && $0.message.contains("custodian") })
    }
}
