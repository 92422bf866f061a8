#ifndef C_TOKENSCRIPT_XML_SHIM_H
#define C_TOKENSCRIPT_XML_SHIM_H

// Debian builds libxml2 with ICU, whose headers clash with the copy of ICU inside Foundation.
// We never touch the ICU fields of xmlCharEncodingHandler, so hide them from Swift.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlIO.h>
#include <libxml/xmlschemas.h>
#include <libxml/hash.h>
#include <libxml/entities.h>
#include <libxml/SAX2.h>

/// `xmlFree` is a global function pointer (a macro in thread-alloc builds): call it through C.
static inline void ts_xml_free(void *pointer) { xmlFree(pointer); }

/// Installs a structured error handler on one parser context only, so that two
/// documents parsed on two threads never share an error sink.
static inline void ts_xml_set_context_error_handler(xmlParserCtxtPtr ctxt, xmlStructuredErrorFunc handler) {
    ctxt->sax->initialized = XML_SAX2_MAGIC;
    ctxt->sax->serror = handler;
    ctxt->sax->warning = NULL;
    ctxt->sax->error = NULL;
    ctxt->vctxt.error = NULL;
    ctxt->vctxt.warning = NULL;
}

/// An empty input stream for a refused or missing external entity. libxml2 2.9 keeps the buffer given to
/// `xmlNewStringInputStream` without copying it, so it must outlive the parse: a static array does, whereas a
/// Swift string argument is a temporary that dies with the call (the parser then read freed stack memory and
/// failed at random with "detected an error in element content").
static const xmlChar ts_xml_empty_text[1] = {0};
static inline xmlParserInputPtr ts_xml_empty_input(xmlParserCtxtPtr ctxt) {
    return xmlNewStringInputStream(ctxt, ts_xml_empty_text);
}

/// Line and column of the input the parser is reading now (for entity-loader diagnostics).
static inline int ts_xml_context_line(xmlParserCtxtPtr ctxt) {
    return (ctxt != NULL && ctxt->input != NULL) ? ctxt->input->line : 0;
}
static inline int ts_xml_context_column(xmlParserCtxtPtr ctxt) {
    return (ctxt != NULL && ctxt->input != NULL) ? ctxt->input->col : 0;
}
/// Replaces the SAX getEntity callback, which libxml2 calls at every `&name;`: the only moment the
/// reference's position is known before an external entity gets its own parser context.
static inline void ts_xml_set_get_entity(xmlParserCtxtPtr ctxt, getEntitySAXFunc handler) {
    ctxt->sax->getEntity = handler;
}

/// Replaces the SAX getParameterEntity callback, called at every `%name;`.
static inline void ts_xml_set_get_parameter_entity(xmlParserCtxtPtr ctxt, getParameterEntitySAXFunc handler) {
    ctxt->sax->getParameterEntity = handler;
}

/// Stops a parse from inside a callback the way libxml2 does on a memory error: no more SAX events,
/// every parse loop sees end-of-input, and nothing is freed under the caller's feet (unlike xmlStopParser,
/// which frees nested entity inputs that the interrupted function may still be reading).
static inline void ts_xml_halt(xmlParserCtxtPtr ctxt) {
    if (ctxt == NULL) return;
    ctxt->wellFormed = 0;
    ctxt->disableSAX = 1;
    ctxt->instate = XML_PARSER_EOF;
}

/// Replaces the SAX entityDecl callback, called at every `<!ENTITY …>` (general or parameter).
static inline void ts_xml_set_entity_declaration(xmlParserCtxtPtr ctxt, entityDeclSAXFunc handler) {
    ctxt->sax->entityDecl = handler;
}

/// Replaces the SAX externalSubset callback, called once the internal subset has been read and before the
/// root element: the moment to drop the DTD's attribute defaults (see `ts_xml_external_subset`).
static inline void ts_xml_set_external_subset(xmlParserCtxtPtr ctxt, externalSubsetSAXFunc handler) {
    ctxt->sax->externalSubset = handler;
}

/// Does what libxml2 would (loads nothing: we never set DTDLOAD), then forgets the attribute defaults the
/// DTD declared. libxml2 2.9.14 applies them to every start tag with a pairwise check, so a DTD with
/// thousands of defaults makes each `<a/>` cost millions of steps. Returns whether there were any.
static inline int ts_xml_external_subset(void *context, const xmlChar *name, const xmlChar *externalID,
                                         const xmlChar *systemID) {
    xmlParserCtxtPtr ctxt = (xmlParserCtxtPtr)context;
    xmlSAX2ExternalSubset(context, name, externalID, systemID);
    if (ctxt == NULL || ctxt->attsDefault == NULL) return 0;
    xmlHashFree(ctxt->attsDefault, xmlHashDefaultDeallocator);
    ctxt->attsDefault = NULL;
    return 1;
}

/// An input stream over bytes we read ourselves (copied by libxml2), named `filename` in its messages.
static inline xmlParserInputPtr ts_xml_new_memory_input(xmlParserCtxtPtr ctxt, const char *bytes, int length,
                                                        const char *filename) {
    xmlParserInputBufferPtr buffer = xmlParserInputBufferCreateMem(bytes, length, XML_CHAR_ENCODING_NONE);
    if (buffer == NULL) return NULL;
    xmlParserInputPtr input = xmlNewIOInputStream(ctxt, buffer, XML_CHAR_ENCODING_NONE);
    if (input == NULL) {
        xmlFreeParserInputBuffer(buffer);
        return NULL;
    }
    input->filename = (const char *)xmlStrdup((const xmlChar *)filename);
    return input;
}

/// The system identifier of `<!DOCTYPE x SYSTEM "…">`, which we never load but report.
static inline const xmlChar *ts_xml_external_subset_id(xmlDocPtr doc) {
    return (doc != NULL && doc->intSubset != NULL) ? doc->intSubset->SystemID : NULL;
}

static inline void *ts_xml_context_private(xmlParserCtxtPtr ctxt) {
    return ctxt != NULL ? ctxt->_private : NULL;
}

#endif
