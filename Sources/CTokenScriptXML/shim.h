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

/// The system identifier of `<!DOCTYPE x SYSTEM "…">`, which we never load but report.
static inline const xmlChar *ts_xml_external_subset_id(xmlDocPtr doc) {
    return (doc != NULL && doc->intSubset != NULL) ? doc->intSubset->SystemID : NULL;
}

static inline void *ts_xml_context_private(xmlParserCtxtPtr ctxt) {
    return ctxt != NULL ? ctxt->_private : NULL;
}

#endif
