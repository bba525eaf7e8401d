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
    *out = NULL;
    uint8_t *body, *resp = NULL;
    size_t len, resp_len = 0;
    int rc = pack_request(c, req, &body, &len);
    if (rc != FOLIO_OK) return rc;
    rc = folio_call(c, method, body, len, &resp, &resp_len);
    free(body);
    if (rc == FOLIO_OK) rc = unpack_response(c, resp_type, resp, resp_len, out);
    free(resp);
    return rc;
}

#define FOLIO_TYPED_CALL(fn, Method, Req, Resp, resp_desc)                                     \
    int fn(folio_ctx *c, const Req *req, Resp **out) {                                         \
        return folio_call_message(c, #Method, (const ProtobufCMessage *)req, &resp_desc,       \
                                  (ProtobufCMessage **)out);                                   \
    }

FOLIO_TYPED_CALL(folio_server_info, ServerInfo, Folio__V1__ServerInfoRequest, Folio__V1__ServerInfoResponse,
                 folio__v1__server_info_response__descriptor)
FOLIO_TYPED_CALL(folio_health, Health, Folio__V1__HealthRequest, Folio__V1__HealthResponse,
                 folio__v1__health_response__descriptor)
FOLIO_TYPED_CALL(folio_list_methods, ListMethods, Folio__V1__ListMethodsRequest, Folio__V1__ListMethodsResponse,
                 folio__v1__list_methods_response__descriptor)
FOLIO_TYPED_CALL(folio_parse, Parse, Folio__V1__ParseRequest, Folio__V1__ParseResponse,
                 folio__v1__parse_response__descriptor)
FOLIO_TYPED_CALL(folio_ingest, Ingest, Folio__V1__IngestRequest, Folio__V1__IngestResponse,
                 folio__v1__ingest_response__descriptor)
FOLIO_TYPED_CALL(folio_delete_page, DeletePage, Folio__V1__DeletePageRequest, Folio__V1__DeletePageResponse,
                 folio__v1__delete_page_response__descriptor)
FOLIO_TYPED_CALL(folio_get_page, GetPage, Folio__V1__GetPageRequest, Folio__V1__Page, folio__v1__page__descriptor)
FOLIO_TYPED_CALL(folio_list_pages, ListPages, Folio__V1__ListPagesRequest, Folio__V1__ListPagesResponse,
                 folio__v1__list_pages_response__descriptor)
FOLIO_TYPED_CALL(folio_get_article, GetArticle, Folio__V1__GetArticleRequest, Folio__V1__Article,
                 folio__v1__article__descriptor)
FOLIO_TYPED_CALL(folio_list_articles, ListArticles, Folio__V1__ListArticlesRequest, Folio__V1__ListArticlesResponse,
                 folio__v1__list_articles_response__descriptor)
FOLIO_TYPED_CALL(folio_search, Search, Folio__V1__SearchRequest, Folio__V1__SearchResponse,
                 folio__v1__search_response__descriptor)
FOLIO_TYPED_CALL(folio_list_entities, ListEntities, Folio__V1__ListEntitiesRequest, Folio__V1__ListEntitiesResponse,
                 folio__v1__list_entities_response__descriptor)
FOLIO_TYPED_CALL(folio_get_entity, GetEntity, Folio__V1__GetEntityRequest, Folio__V1__GetEntityResponse,
                 folio__v1__get_entity_response__descriptor)
FOLIO_TYPED_CALL(folio_convert, Convert, Folio__V1__ConvertRequest, Folio__V1__ConvertResponse,
                 folio__v1__convert_response__descriptor)
FOLIO_TYPED_CALL(folio_stats, Stats, Folio__V1__StatsRequest, Folio__V1__StatsResponse,
                 folio__v1__stats_response__descriptor)
FOLIO_TYPED_CALL(folio_reload, Reload, Folio__V1__ReloadRequest, Folio__V1__ReloadResponse,
                 folio__v1__reload_response__descriptor)

/* ---- SearchStream ---------------------------------------------------------------------- */

int folio_search_stream_begin(folio_ctx *c, const Folio__V1__SearchRequest *req) {
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
    c->priv->stream_deadline = deadline;
    return FOLIO_OK;
}

int folio_search_stream_next(folio_ctx *c, Folio__V1__SearchHit **hit) {
    *hit = NULL;
    c->err = FOLIO_OK;
    c->errstr[0] = '\0';
    c->status = FOLIO_STATUS_OK;
    uint64_t id = c->priv->stream_id;
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
    uint64_t id = c->priv->stream_id;
    if (id == 0) return FOLIO_OK;
    c->priv->stream_id = 0;
    folio_forget_call(c, id);
    return c->fd >= 0 ? folio_cancel(c, id) : FOLIO_OK;
}
