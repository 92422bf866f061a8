// The text of Sources/TokenScriptDocument/Schemas/tokenscript-server-1.xsd, embedded so that `validate`
// needs no file at run time. Kept identical to that file by hand; ServerSchemaTests checks it.
// To update: copy the file's whole text between the delimiters below (a raw string: no escaping).

extension ServerExtensionSchema {
    /// The XSD of `https://swift-tokenscript.org/server/1`, byte for byte the shipped `tokenscript-server-1.xsd`.
    public static let text = #"""
        <?xml version="1.0" encoding="UTF-8"?>
        <!--
          tokenscript-server-1.xsd: the server-side extension of TokenScript, version 1.
          Namespace https://swift-tokenscript.org/server/1 (prefix sl: in examples).
          SPDX-License-Identifier: MIT

          sl:server is a direct child of ts:token (any TokenScript version). Runtimes that do not
          know this namespace ignore it. tokenscript validate applies this schema to every
          subtree in the namespace; the reference is ServerExtension.md next to this directory.
          This schema checks structure and lexical forms; references between names (states,
          effects, attributes, trusted topics) and Lua are checked by the reader.
        -->
        <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
                   xmlns:sl="https://swift-tokenscript.org/server/1"
                   targetNamespace="https://swift-tokenscript.org/server/1"
                   elementFormDefault="qualified"
                   attributeFormDefault="unqualified">

          <!-- Simple types -->

          <xs:simpleType name="name">
            <xs:restriction base="xs:NCName"/>
          </xs:simpleType>

          <xs:simpleType name="names">
            <xs:list itemType="sl:name"/>
          </xs:simpleType>

          <!-- A topic or a family of topics: '*' only as the last character. -->
          <xs:simpleType name="topicPattern">
            <xs:restriction base="xs:string">
              <xs:pattern value="[^\s*]*\*?"/>
              <xs:minLength value="1"/>
            </xs:restriction>
          </xs:simpleType>

          <xs:simpleType name="topicPatterns">
            <xs:restriction>
              <xs:simpleType>
                <xs:list itemType="sl:topicPattern"/>
              </xs:simpleType>
              <xs:minLength value="1"/>
            </xs:restriction>
          </xs:simpleType>

          <!-- Days, hours, minutes and seconds (up to three decimals); no years, months or weeks. -->
          <xs:simpleType name="duration">
            <xs:restriction base="xs:duration">
              <xs:pattern value="P(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d{1,3})?S)?)?"/>
            </xs:restriction>
          </xs:simpleType>

          <!-- A timestamp with a zone. -->
          <xs:simpleType name="timestamp">
            <xs:restriction base="xs:dateTime">
              <xs:pattern value=".+(Z|[+\-]\d{2}:\d{2})"/>
            </xs:restriction>
          </xs:simpleType>

          <xs:simpleType name="scheme">
            <xs:restriction base="xs:string">
              <xs:enumeration value="eip191"/>
              <xs:enumeration value="eip712"/>
              <xs:enumeration value="eas"/>
              <xs:enumeration value="ed25519"/>
            </xs:restriction>
          </xs:simpleType>

          <xs:simpleType name="hexKey">
            <xs:restriction base="xs:string">
              <xs:pattern value="(0x)?[0-9a-fA-F]+"/>
            </xs:restriction>
          </xs:simpleType>

          <xs:simpleType name="lifecycle">
            <xs:restriction base="xs:string">
              <xs:enumeration value="dormant"/>
              <xs:enumeration value="active"/>
              <xs:enumeration value="expired"/>
            </xs:restriction>
          </xs:simpleType>

          <xs:simpleType name="valueType">
            <xs:restriction base="xs:string">
              <xs:enumeration value="string"/>
              <xs:enumeration value="integer"/>
              <xs:enumeration value="boolean"/>
              <xs:enumeration value="time"/>
              <xs:enumeration value="json"/>
            </xs:restriction>
          </xs:simpleType>

          <xs:simpleType name="outcome">
            <xs:restriction base="xs:string">
              <xs:enumeration value="success"/>
              <xs:enumeration value="timeout"/>
              <xs:enumeration value="error"/>
              <xs:enumeration value="failed"/>
            </xs:restriction>
          </xs:simpleType>

          <xs:simpleType name="statusPattern">
            <xs:restriction base="xs:string">
              <xs:pattern value="[1-5][0-9x][0-9x]"/>
            </xs:restriction>
          </xs:simpleType>

          <xs:simpleType name="statusPatterns">
            <xs:list itemType="sl:statusPattern"/>
          </xs:simpleType>

          <xs:simpleType name="method">
            <xs:restriction base="xs:string">
              <xs:enumeration value="GET"/>
              <xs:enumeration value="POST"/>
              <xs:enumeration value="PUT"/>
              <xs:enumeration value="PATCH"/>
              <xs:enumeration value="DELETE"/>
            </xs:restriction>
          </xs:simpleType>

          <xs:simpleType name="backoff">
            <xs:restriction base="xs:string">
              <xs:enumeration value="fixed"/>
              <xs:enumeration value="exponential"/>
            </xs:restriction>
          </xs:simpleType>

          <!-- Lua source: text or CDATA. -->
          <xs:complexType name="namedLua">
            <xs:simpleContent>
              <xs:extension base="xs:string">
                <xs:attribute name="name" type="sl:name" use="required"/>
              </xs:extension>
            </xs:simpleContent>
          </xs:complexType>

          <!-- The root of the extension -->

          <xs:element name="server">
            <xs:complexType>
              <xs:sequence>
                <xs:element ref="sl:trust" minOccurs="0"/>
                <xs:element ref="sl:states"/>
                <xs:element ref="sl:attribute" minOccurs="0" maxOccurs="unbounded"/>
                <xs:element ref="sl:computed" minOccurs="0" maxOccurs="unbounded"/>
                <xs:element ref="sl:trigger" minOccurs="0" maxOccurs="unbounded"/>
                <xs:element ref="sl:effect" minOccurs="0" maxOccurs="unbounded"/>
                <xs:element ref="sl:interface" minOccurs="0" maxOccurs="unbounded"/>
              </xs:sequence>
            </xs:complexType>
          </xs:element>

          <xs:element name="trust">
            <xs:complexType>
              <xs:sequence>
                <xs:element ref="sl:issuer" maxOccurs="unbounded"/>
              </xs:sequence>
            </xs:complexType>
          </xs:element>

          <xs:element name="issuer">
            <xs:complexType>
              <xs:attribute name="name" type="sl:name" use="required"/>
              <xs:attribute name="scheme" type="sl:scheme" use="required"/>
              <xs:attribute name="key" type="sl:hexKey" use="required"/>
              <xs:attribute name="topics" type="sl:topicPatterns" use="required"/>
            </xs:complexType>
          </xs:element>

          <xs:element name="states">
            <xs:complexType>
              <xs:sequence>
                <xs:element ref="sl:state" maxOccurs="unbounded"/>
              </xs:sequence>
              <xs:attribute name="initial" type="sl:name" use="required"/>
            </xs:complexType>
          </xs:element>

          <xs:element name="state">
            <xs:complexType>
              <xs:attribute name="name" type="sl:name" use="required"/>
              <xs:attribute name="lifecycle" type="sl:lifecycle" default="active"/>
            </xs:complexType>
          </xs:element>

          <xs:element name="attribute">
            <xs:complexType>
              <xs:attribute name="name" type="sl:name" use="required"/>
              <xs:attribute name="type" type="sl:valueType" use="required"/>
              <xs:attribute name="initial" type="xs:string"/>
            </xs:complexType>
          </xs:element>

          <!-- Lua (state, attributes) -> value -->
          <xs:element name="computed" type="sl:namedLua"/>

          <!-- Lua (state, attributes, args) -> value -->
          <xs:element name="interface" type="sl:namedLua"/>

          <xs:element name="trigger">
            <xs:complexType>
              <xs:sequence>
                <xs:choice>
                  <xs:element ref="sl:on-attestation"/>
                  <xs:element ref="sl:on-schedule"/>
                  <xs:element ref="sl:on-attribute"/>
                  <xs:element ref="sl:on-effect"/>
                </xs:choice>
                <xs:element ref="sl:transition"/>
              </xs:sequence>
              <xs:attribute name="name" type="sl:name" use="required"/>
              <xs:attribute name="states" type="sl:names"/>
            </xs:complexType>
          </xs:element>

          <xs:element name="on-attestation">
            <xs:complexType>
              <xs:attribute name="topic" type="sl:topicPattern" use="required"/>
              <xs:attribute name="type" type="xs:string"/>
              <!-- The TokenScript filter grammar over the attestation's payload fields. -->
              <xs:attribute name="filter" type="xs:string"/>
            </xs:complexType>
          </xs:element>

          <!-- Exactly one of at, after (with an optional from) or every. -->
          <xs:element name="on-schedule">
            <xs:complexType>
              <xs:attribute name="at" type="sl:timestamp"/>
              <xs:attribute name="after" type="sl:duration"/>
              <xs:attribute name="from" type="sl:name"/>
              <xs:attribute name="every" type="sl:duration"/>
            </xs:complexType>
          </xs:element>

          <xs:element name="on-attribute">
            <xs:complexType>
              <xs:attribute name="name" type="sl:name" use="required"/>
            </xs:complexType>
          </xs:element>

          <xs:element name="on-effect">
            <xs:complexType>
              <xs:attribute name="effect" type="sl:name" use="required"/>
              <xs:attribute name="outcome" type="sl:outcome" use="required"/>
              <xs:attribute name="status" type="sl:statusPatterns"/>
            </xs:complexType>
          </xs:element>

          <!-- Lua (state, event, attributes) -> {state=, attributes=, events=, effects=}, or goto= without Lua. -->
          <xs:element name="transition">
            <xs:complexType>
              <xs:simpleContent>
                <xs:extension base="xs:string">
                  <xs:attribute name="goto" type="sl:name"/>
                </xs:extension>
              </xs:simpleContent>
            </xs:complexType>
          </xs:element>

          <xs:element name="effect">
            <xs:complexType>
              <xs:sequence>
                <xs:element ref="sl:request" minOccurs="0"/>
                <xs:element ref="sl:retry" minOccurs="0"/>
                <xs:element ref="sl:idempotency-key" minOccurs="0"/>
                <xs:element ref="sl:fallback" minOccurs="0"/>
              </xs:sequence>
              <xs:attribute name="name" type="sl:name" use="required"/>
              <xs:attribute name="method" type="sl:method" use="required"/>
              <!-- ${env.NAME} stands for ts:meta/ts:env name="NAME". -->
              <xs:attribute name="url" type="xs:string" use="required"/>
              <xs:attribute name="timeout" type="sl:duration" use="required"/>
            </xs:complexType>
          </xs:element>

          <!-- Lua (input, attributes) -> {url=, headers=, body=} -->
          <xs:element name="request" type="xs:string"/>

          <xs:element name="retry">
            <xs:complexType>
              <xs:attribute name="retries" type="xs:nonNegativeInteger" use="required"/>
              <xs:attribute name="backoff" type="sl:backoff" default="exponential"/>
              <xs:attribute name="initial" type="sl:duration" default="PT1S"/>
              <xs:attribute name="max" type="sl:duration"/>
            </xs:complexType>
          </xs:element>

          <!-- Lua (input, attributes) -> string; empty for the default key. -->
          <xs:element name="idempotency-key">
            <xs:complexType>
              <xs:simpleContent>
                <xs:extension base="xs:string">
                  <xs:attribute name="header" type="xs:token" default="Idempotency-Key"/>
                </xs:extension>
              </xs:simpleContent>
            </xs:complexType>
          </xs:element>

          <xs:element name="fallback">
            <xs:complexType>
              <xs:attribute name="anchor" type="xs:boolean" use="required"/>
            </xs:complexType>
          </xs:element>
        </xs:schema>

        """#
}
