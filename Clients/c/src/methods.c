/* Typed calls: one per method of service.proto, on folio_call_message; SearchStream iteration. */
#include <stdlib.h>

#include "folio_private.h"

void folio_message_free(void *message) {
    if (message) protobuf_c_message_free_unpacked((ProtobufCMessage *)message, NULL);
}

static int pack_request(folio_ctx *c, const ProtobufCMessage *req, uint8_t **out, size_t *len) {
    *len = req ? protobuf_c_message_get_packed_size(req) : 0;
    *out = malloc(*len ? *len : 1);
    if (*out == NULL) return folio_fail(c, FOLIO_ERR_OOM, FOLIO_STATUS_RESOURCE_EXHAUSTED, "out of memory");
    if (req) protobuf_c_message_pack(req, *out);
    return FOLIO_OK;
}

static int unpack_response(folio_ctx *c, const ProtobufCMessageDescriptor *type, const uint8_t *data, size_t len,
                           ProtobufCMessage **out) {
    *out = protobuf_c_message_unpack(type, NULL, len, data);
    if (*out == NULL)
        return folio_fail(c, FOLIO_ERR_PROTOCOL, FOLIO_STATUS_INTERNAL, "response body is not a %s", type->name);
    return FOLIO_OK;
}

int folio_call_message(folio_ctx *c, const char *method, const ProtobufCMessage *req,
                       const ProtobufCMessageDescriptor *resp_type, ProtobufCMessage **out) {
    ProtobufCMessage *unused = NULL;
    if (out == NULL) out = &unused;  /* the caller wants only the outcome */
    *out = NULL;
    if (c == NULL) return FOLIO_ERR_ARG;
    if (resp_type == NULL)
        return folio_fail(c, FOLIO_ERR_ARG, FOLIO_STATUS_INVALID_ARGUMENT, "folio_call_message: resp_type is required");
    uint8_t *body, *resp = NULL;
    size_t len, resp_len = 0;
    int rc = pack_request(c, req, &body, &len);
    if (rc != FOLIO_OK) return rc;
    rc = folio_call(c, method, body, len, &resp, &resp_len);
    free(body);
    if (rc == FOLIO_OK) rc = unpack_response(c, resp_type, resp, resp_len, out);
    if (rc == FOLIO_OK && resp_type == &folio__v1__server_info_response__descriptor) /* folio_send's limit */
        c->priv->server_max_calls = ((const Folio__V1__ServerInfoResponse *)*out)->max_calls_in_flight;
    free(resp);
    folio_message_free(unused);
    return rc;
}

/* One per unary method of the table generated from service.proto (folio/v1/methods.h). */
#define FOLIO_TYPED_CALL(Method, name, Req, Resp, resp_desc)                                   \
    int folio_##name(folio_ctx *c, const Req *req, Resp **out) {                               \
        return folio_call_message(c, #Method, (const ProtobufCMessage *)req, &resp_desc,       \
                                  (ProtobufCMessage **)out);                                   \
    }

FOLIO_UNARY_METHODS(FOLIO_TYPED_CALL)

/* ---- SearchStream ---------------------------------------------------------------------- */

int folio_search_stream_begin(folio_ctx *c, const Folio__V1__SearchRequest *req) {
    if (c == NULL) return FOLIO_ERR_ARG;
    if (c->priv->stream_id) folio_stream_cancel(c);
    uint8_t *body;
    size_t len;
    int rc = pack_request(c, (const ProtobufCMessage *)req, &body, &len);
    if (rc != FOLIO_OK) return rc;
    uint64_t id;
    int64_t deadline = folio_deadline(c, 0);
    rc = folio_send(c, "SearchStream", body, len, 0, &id);
    free(body);
    if (rc != FOLIO_OK) return rc;
    c->priv->stream_id = id;
    c->priv->stream_begun = 1;
    c->priv->stream_cut_err = 0;
    c->priv->stream_deadline = deadline;
    return FOLIO_OK;
}

int folio_search_stream_next(folio_ctx *c, Folio__V1__SearchHit **hit) {
    if (hit) *hit = NULL;
    if (c == NULL) return FOLIO_ERR_ARG;
    if (hit == NULL) return folio_fail(c, FOLIO_ERR_ARG, FOLIO_STATUS_INVALID_ARGUMENT, "folio_search_stream_next: hit is NULL");
    c->err = FOLIO_OK;
    c->errstr[0] = '\0';
    c->status = FOLIO_STATUS_OK;
    if (!c->priv->stream_begun)
        return folio_fail(c, FOLIO_ERR_ARG, FOLIO_STATUS_FAILED_PRECONDITION, "no search stream: call folio_search_stream_begin first");
    uint64_t id = c->priv->stream_id;
    if (id == 0 && c->priv->stream_cut_err) /* cut before its last frame: not the end of a complete stream */
        return folio_fail(c, c->priv->stream_cut_err, c->priv->stream_cut_status, "the search stream was cut short (%s)",
                          c->priv->stream_cut_err == FOLIO_ERR_STATUS ? "CANCELLED: folio_stream_cancel"
                          : c->priv->stream_cut_err == FOLIO_ERR_TIMEOUT ? "no answer within the deadline"
                          : "the connection closed, or folio_reconnect");
    if (id == 0) return FOLIO_OK; /* ended */
    for (;;) {
        folio_reply *r;
        int rc = folio_wait_reply(c, id, c->priv->stream_deadline, &r);
        if (rc != FOLIO_OK) {
            if (rc == FOLIO_ERR_TIMEOUT) {
                folio_stream_cancel(c);
                folio_fail(c, rc, FOLIO_STATUS_DEADLINE_EXCEEDED, "no answer from foliod within the deadline");
            }
            c->priv->stream_id = 0;
            c->priv->stream_cut_err = rc == FOLIO_ERR_TIMEOUT ? rc : FOLIO_ERR_CLOSED;  /* what later calls say */
            c->priv->stream_cut_status = rc == FOLIO_ERR_TIMEOUT ? FOLIO_STATUS_DEADLINE_EXCEEDED : FOLIO_STATUS_UNAVAILABLE;
            return rc;
        }
        if (r->has_status) {
            /* The final frame: a body on it is a last hit, reported with the status following. */
            c->priv->stream_id = 0;
            if (r->status != FOLIO_STATUS_OK) rc = folio_fail(c, FOLIO_ERR_STATUS, r->status, "%s: %s",
                                                              folio_status_name(r->status), r->message);
        }
        if (rc == FOLIO_OK && r->len)
            rc = unpack_response(c, &folio__v1__search_hit__descriptor, r->body, r->len, (ProtobufCMessage **)hit);
        int done = r->has_status;
        folio_reply_free(r);
        if (rc != FOLIO_OK || *hit || done) return rc;
    }
}

int folio_stream_cancel(folio_ctx *c) {
    if (c == NULL) return FOLIO_ERR_ARG;
    uint64_t id = c->priv->stream_id;
    if (id == 0) return FOLIO_OK;
    c->priv->stream_id = 0;
    c->priv->stream_cut_err = FOLIO_ERR_STATUS;  /* folio_search_stream_next: CANCELLED, not the end */
    c->priv->stream_cut_status = FOLIO_STATUS_CANCELLED;
    folio_forget_call(c, id);
    return c->fd >= 0 ? folio_cancel(c, id) : FOLIO_OK;
}
