#include <poppler.h>

/* A document from a copy of the bytes; NULL with *message set (g_free it) when poppler refuses them. */
static inline PopplerDocument *folio_pdf_open(const void *bytes, gsize length, char **message) {
    GBytes *data = g_bytes_new(bytes, length);
    GError *error = NULL;
    PopplerDocument *document = poppler_document_new_from_bytes(data, NULL, &error);
    g_bytes_unref(data);
    if (document == NULL) {
        *message = g_strdup(error != NULL ? error->message : "not a PDF");
        if (error != NULL) g_error_free(error);
    }
    return document;
}

static inline void folio_pdf_release(gpointer object) { g_object_unref(object); }
