/* nn_arch.c — build a network from a JSON list of layers (see nn_arch.h). */
#include "nn_arch.h"
#include "nn_layer.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* "<where>: " before the message a library call left (copied first: nn_fail writes the same buffer) */
static int fail_at(const char *where)
{
    char why[512];
    snprintf(why, sizeof why, "%s", nn_error());
    return nn_fail("%s: %s", where, why);
}

/* an integer field of an entry, or `dflt` when absent; −1 (and a message) when not a whole number in range */
static int int_field(const cJSON *e, const char *key, int dflt, int lo, int hi, const char *where, int *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, key);
    if (!v) {
        *out = dflt;
        return 0;
    }
    if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble) || v->valuedouble < lo || v->valuedouble > hi)
        return nn_fail("%s: '%s' must be a whole number from %d to %d", where, key, lo, hi);
    *out = (int)v->valuedouble;
    return 0;
}

static int init_field(const cJSON *e, nn_init dflt, const char *where, nn_init *out)
{
    *out = dflt;
    const cJSON *k = cJSON_GetObjectItemCaseSensitive(e, "init"), *s = cJSON_GetObjectItemCaseSensitive(e, "init_scale");
    if (k && !cJSON_IsString(k)) return nn_fail("%s: 'init' must be a scheme name", where);
    if (k && nn_init_parse(k->valuestring, &out->kind)) return fail_at(where);
    if (s && (!cJSON_IsNumber(s) || !(s->valuedouble >= 0) || s->valuedouble > 1e6))
        return nn_fail("%s: 'init_scale' must be a number from 0 to 1e6", where);
    if (s) out->scale = s->valuedouble;
    return 0;
}

/* every key of an entry must be one the layer knows */
static int only_keys(const cJSON *e, const char *const *keys, const char *where)
{
    const cJSON *kv;
    cJSON_ArrayForEach(kv, e)
    {
        int ok = 0;
        for (int q = 0; keys[q] && !ok; q++) ok = !strcmp(kv->string, keys[q]);
        if (!ok) return nn_fail("%s: unknown key '%s' for a %s layer", where, kv->string, e->child->string);
    }
    return 0;
}

/* "conv, pool, dense, …": the kinds a config may declare, in the table's order */
static const char *declarable_names(void)
{
    static char names[256];
    size_t at = 0;
    names[0] = '\0';
    for (int k = 0; k < NN_L_KIND_COUNT; k++)
        if (nn_layer_kinds[k]->declare)
            at += (size_t)snprintf(names + at, at < sizeof names ? sizeof names - at : 0, "%s%s", at ? ", " : "",
                                   nn_layer_kinds[k]->name);
    return names;
}

/* one entry of a declarable kind: its keys as the table describes them (nn_layer.h), then its builder */
static int declared_layer(nn_layer_decl *dp, const nn_layer_ops *ops, const cJSON *e, const nn_arch_opts *o, const char *where)
{
    const char *keys[NN_LAYER_MAX_ARGS + 3];
    int n_keys = 0;
    nn_layer_decl d = {.w_init = o->w_init, .b_init = o->b_init, .bn_eps = o->bn_eps, .bn_momentum = o->bn_momentum};
    for (int a = 0; a < NN_LAYER_MAX_ARGS && ops->args[a].key; a++) keys[n_keys++] = ops->args[a].key;
    if (ops->takes_init) keys[n_keys++] = "init", keys[n_keys++] = "init_scale";
    keys[n_keys] = NULL;
    if (only_keys(e, keys, where)) return -1;
    for (int a = 0; a < NN_LAYER_MAX_ARGS && ops->args[a].key; a++) {
        const nn_layer_arg *g = &ops->args[a];
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, g->key);
        switch (g->type) {
        case NN_ARG_INT: {
            int x = 0;
            const int dflt = g->dflt_from > 0 ? (int)d.v[g->dflt_from - 1] : (int)g->dflt;
            if (int_field(e, g->key, dflt, (int)g->lo, (int)g->hi, where, &x)) return -1;
            d.v[a] = x;
            break;
        }
        case NN_ARG_REAL:
            if (!v) d.v[a] = g->dflt;
            else if (!cJSON_IsNumber(v) || !(v->valuedouble >= g->lo) ||
                     (g->hi_open ? !(v->valuedouble < g->hi) : !(v->valuedouble <= g->hi)))
                return nn_fail("%s: '%s' must be %s", where, g->key, g->must ? g->must : "a number in range");
            else d.v[a] = v->valuedouble;
            break;
        case NN_ARG_BOOL:
            if (v && !cJSON_IsBool(v)) return nn_fail("%s: '%s' must be true or false", where, g->key);
            d.v[a] = v ? cJSON_IsTrue(v) : g->dflt;
            if (d.v[a] < g->lo) return nn_fail("%s: '%s' must be %s", where, g->key, g->must ? g->must : "true");
            break;
        case NN_ARG_ACT: {
            nn_act f;
            if (!cJSON_IsString(v) || nn_act_parse(v->valuestring, &f) || f >= NN_ACT_N_ELEMENTWISE)
                return nn_fail("%s: '%s' must be a hidden activation (%s)", where, g->key,
                               cJSON_IsString(v) ? v->valuestring : "not a string");
            d.v[a] = f;
            break;
        }
        }
    }
    if (ops->takes_init && init_field(e, o->w_init, where, &d.w_init)) return -1;
    *dp = d;
    return 0;
}

/* the heads met in the trunk, built after the main output */
typedef struct head_at {
    int from;           /* the trunk's item the head reads (−1: the input) */
    const cJSON *layers;
    double alpha;
    char where[64];
} head_at;

/* The list being made, with where each item came from (for a message about a layer that does not fit). */
typedef struct making {
    nn_layer_list l;
    char (*where)[96];
    int cap_where;
} making;

static nn_layer_item *push(making *m, int kind, const char *name, const char *where)
{
    nn_layer_item *it = nn_layer_list_push(&m->l, kind, name);
    if (m->l.n > m->cap_where) {
        m->cap_where = m->l.cap;
        char(*w)[96] = realloc(m->where, (size_t)m->cap_where * sizeof *w);
        NN_ASSERT(w != NULL, "out of memory");
        m->where = w;
    }
    snprintf(m->where[m->l.n - 1], sizeof m->where[0], "%s", where);
    return it;
}

/* Append the entries of `list` as items; `heads` (NULL inside a head) collects head entries. */
static int build_list(making *m, const cJSON *list, const nn_arch_opts *o, const char *prefix, const char *tag,
                      head_at *heads, int *n_heads)
{
    if (!cJSON_IsArray(list)) return nn_fail("'%s' must be a list of layer objects", prefix);
    int i = 0, count[NN_L_KIND_COUNT] = {0}; /* per layer kind: the names conv1, pool1, … */
    const cJSON *e;
    char where[96];
    cJSON_ArrayForEach(e, list)
    {
        snprintf(where, sizeof where, "%s[%d]", prefix, i++);
        if (!cJSON_IsObject(e) || !e->child) return nn_fail("%s: each layer is an object such as {\"dense\": 100}", where);
        const char *kind = e->child->string;
        const int k = nn_layer_kind_of(kind);
        if (k >= 0 && nn_layer_kinds[k]->declare) {
            nn_layer_decl d;
            if (declared_layer(&d, nn_layer_kinds[k], e, o, where)) return -1;
            /* Caffe's style of names: conv1, pool1, conv2, …, relu1, dense1 */
            char name[40];
            snprintf(name, sizeof name, "%s%s%d", tag, k == NN_L_ACT ? nn_act_name((nn_act)d.v[0]) : kind, ++count[k]);
            push(m, k, name, where)->d = d;
        } else if (!strcmp(kind, "head")) {
            static const char *const keys[] = {"head", "alpha", NULL};
            if (only_keys(e, keys, where)) return -1;
            if (!heads) return nn_fail("%s: a head cannot carry a head of its own", where);
            if (!cJSON_IsArray(e->child)) return nn_fail("%s: 'head' must be a list of layers (it may be empty: [])", where);
            const cJSON *al = cJSON_GetObjectItemCaseSensitive(e, "alpha");
            if (al && (!cJSON_IsNumber(al) || !(al->valuedouble >= 0 && al->valuedouble <= 1e3)))
                return nn_fail("%s: 'alpha' must be a number from 0 to 1000", where);
            if (o->skip_heads) continue;
            if (*n_heads >= NN_MAX_OUTPUTS - 1) return nn_fail("%s: at most %d heads", where, NN_MAX_OUTPUTS - 1);
            head_at *h = &heads[(*n_heads)++];
            h->from = m->l.n - 1, h->layers = e->child, h->alpha = al ? al->valuedouble : o->head_alpha;
            snprintf(h->where, sizeof h->where, "%s.head", where);
        } else {
            return nn_fail("%s: unknown layer '%s' (%s, head)", where, kind, declarable_names());
        }
    }
    return 0;
}

/* dense(n_classes) → softmax → cross-entropy with this weight, after the current item; its
 * layers are "<tag>dense" and "<tag>softmax" */
static void classifier(making *m, const nn_arch_opts *o, const char *tag, double weight)
{
    char name[40];
    snprintf(name, sizeof name, "%sdense", tag);
    nn_layer_item *d = push(m, NN_L_DENSE, name, tag);
    d->d.v[0] = o->n_classes, d->d.v[1] = 1, d->d.w_init = o->w_init, d->d.b_init = o->b_init;
    snprintf(name, sizeof name, "%ssoftmax", tag);
    push(m, NN_L_ACT, name, tag)->d.v[0] = NN_SOFTMAX;
    nn_layer_item *out = push(m, NN_ITEM_OUTPUT, NULL, tag);
    out->loss = NN_LOSS_SOFTMAX_CE, out->weight = weight;
}

nn_net *nn_arch_build(const cJSON *layers, const nn_arch_opts *o, int max_batch, uint64_t seed)
{
    making m = {.l = {.n_input = o->in_c * o->in_h * o->in_w, .in_c = o->in_c, .in_h = o->in_h, .in_w = o->in_w}};
    head_at heads[NN_MAX_OUTPUTS];
    int n_heads = 0, ok = !build_list(&m, layers, o, "layers", "", heads, &n_heads);
    if (ok) classifier(&m, o, "out.", 1.0);
    for (int j = 0; ok && j < n_heads; j++) {
        char tag[16];
        snprintf(tag, sizeof tag, "head%d.", j + 1);
        push(&m, NN_ITEM_HEAD, NULL, heads[j].where)->from = heads[j].from;
        ok = !build_list(&m, heads[j].layers, o, heads[j].where, tag, NULL, NULL);
        if (ok) classifier(&m, o, tag, heads[j].alpha);
    }
    int bad = -1;
    nn_net *net = ok ? nn_net_build(&m.l, max_batch, seed, &bad) : NULL;
    if (ok && !net && bad >= 0) fail_at(m.where[bad]);
    nn_layer_list_free(&m.l);
    free(m.where);
    return net;
}

int nn_arch_count(const cJSON *layers, const char *name)
{
    int n = 0;
    const cJSON *l;
    cJSON_ArrayForEach(l, layers) n += cJSON_IsObject(l) && l->child && !strcmp(l->child->string, name);
    return n;
}
