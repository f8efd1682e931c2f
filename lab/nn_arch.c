/* nn_arch.c — build a network from a JSON list of layers (see nn_arch.h). */
#include "nn_arch.h"

#include <math.h>
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

/* the heads met in the trunk, built after the main output */
typedef struct head_at {
    int node;
    const cJSON *layers;
    double alpha;
    char where[64];
} head_at;

/* Append the entries of `list` to the net; `heads` (NULL inside a head) collects head entries. */
static int build_list(nn_net *net, const cJSON *list, const nn_arch_opts *o, const char *prefix, const char *tag,
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
        const int before = net->n_layers;
        if (!strcmp(kind, "conv")) {
            static const char *const keys[] = {"conv", "kernel", "stride", "pad", "init", "init_scale", NULL};
            int c = 0, k = 0, s = 0, p = 0;
            nn_init w;
            if (only_keys(e, keys, where) || int_field(e, "conv", 0, 1, 4096, where, &c) ||
                int_field(e, "kernel", 3, 1, 64, where, &k) || int_field(e, "stride", 1, 1, 64, where, &s) ||
                int_field(e, "pad", 0, 0, 64, where, &p) || init_field(e, o->w_init, where, &w))
                return -1;
            if (nn_net_conv(net, c, k, s, p, w, o->b_init) < 0) return fail_at(where);
        } else if (!strcmp(kind, "pool")) {
            static const char *const keys[] = {"pool", "stride", NULL};
            int q = 0, s = 0;
            if (only_keys(e, keys, where) || int_field(e, "pool", 0, 1, 64, where, &q) ||
                int_field(e, "stride", q, 1, 64, where, &s))
                return -1;
            if (nn_net_maxpool(net, q, s) < 0) return fail_at(where);
        } else if (!strcmp(kind, "dense")) {
            static const char *const keys[] = {"dense", "init", "init_scale", NULL};
            int n = 0;
            nn_init w;
            if (only_keys(e, keys, where) || int_field(e, "dense", 0, 1, 1 << 20, where, &n) || init_field(e, o->w_init, where, &w))
                return -1;
            nn_net_dense(net, n, 1, w, o->b_init);
        } else if (!strcmp(kind, "act")) {
            static const char *const keys[] = {"act", NULL};
            nn_act a;
            if (only_keys(e, keys, where)) return -1;
            if (!cJSON_IsString(e->child) || nn_act_parse(e->child->valuestring, &a) || a >= NN_ACT_N_ELEMENTWISE)
                return nn_fail("%s: 'act' must be a hidden activation (%s)", where,
                               cJSON_IsString(e->child) ? e->child->valuestring : "not a string");
            nn_net_act(net, a);
        } else if (!strcmp(kind, "batchnorm")) {
            static const char *const keys[] = {"batchnorm", "affine", "through_stats", NULL};
            if (only_keys(e, keys, where)) return -1;
            if (!cJSON_IsTrue(e->child)) return nn_fail("%s: 'batchnorm' must be true (leave the entry out for none)", where);
            int flag[2] = {1, 1};
            const char *names[2] = {"affine", "through_stats"};
            for (int k = 0; k < 2; k++) {
                const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, names[k]);
                if (v && !cJSON_IsBool(v)) return nn_fail("%s: '%s' must be true or false", where, names[k]);
                if (v) flag[k] = cJSON_IsTrue(v);
            }
            nn_net_bn_variant(net, nn_net_batchnorm(net, o->bn_eps, o->bn_momentum), flag[0], flag[1]);
        } else if (!strcmp(kind, "maxout")) {
            static const char *const keys[] = {"maxout", NULL};
            int k = 0;
            if (only_keys(e, keys, where) || int_field(e, "maxout", 0, 1, 64, where, &k)) return -1;
            int w = net->cur < 0 ? net->n_input : net->layers[net->cur].n;
            if (w % k) return nn_fail("%s: 'maxout' of %d units in pieces of %d", where, w, k);
            nn_net_maxout(net, k);
        } else if (!strcmp(kind, "dropout")) {
            static const char *const keys[] = {"dropout", NULL};
            if (only_keys(e, keys, where)) return -1;
            if (!cJSON_IsNumber(e->child) || !(e->child->valuedouble >= 0 && e->child->valuedouble < 1))
                return nn_fail("%s: 'dropout' must be a probability in [0, 1)", where);
            nn_net_dropout(net, e->child->valuedouble);
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
            h->node = net->cur, h->layers = e->child, h->alpha = al ? al->valuedouble : o->head_alpha;
            snprintf(h->where, sizeof h->where, "%s.head", where);
        } else {
            return nn_fail("%s: unknown layer '%s' (conv, pool, dense, act, maxout, batchnorm, dropout, head)", where, kind);
        }
        if (net->n_layers > before) { /* Caffe's style of names: conv1, pool1, conv2, …, relu1, dense1 */
            const nn_layer *L = &net->layers[before];
            const char *what = L->kind == NN_L_ACT ? nn_act_name(L->act) : kind;
            char name[40];
            snprintf(name, sizeof name, "%s%s%d", tag, what, ++count[L->kind]);
            nn_net_name_layer(net, before, name);
        }
    }
    return 0;
}

/* dense(n_classes) → softmax → cross-entropy with this weight, after the current node; its
 * layers are "<tag>dense" and "<tag>softmax" */
static void classifier(nn_net *net, const nn_arch_opts *o, const char *tag, double weight)
{
    char name[40];
    int d = nn_net_dense(net, o->n_classes, 1, o->w_init, o->b_init);
    snprintf(name, sizeof name, "%sdense", tag);
    nn_net_name_layer(net, d, name);
    int a = nn_net_act(net, NN_SOFTMAX);
    snprintf(name, sizeof name, "%ssoftmax", tag);
    nn_net_name_layer(net, a, name);
    nn_net_output(net, NN_LOSS_SOFTMAX_CE, weight);
}

nn_net *nn_arch_build(const cJSON *layers, const nn_arch_opts *o, int max_batch, uint64_t seed)
{
    nn_net *net = nn_net_new(o->in_c * o->in_h * o->in_w);
    nn_net_input_shape(net, o->in_c, o->in_h, o->in_w);
    head_at heads[NN_MAX_OUTPUTS];
    int n_heads = 0;
    if (build_list(net, layers, o, "layers", "", heads, &n_heads)) {
        nn_net_free(net);
        return NULL;
    }
    classifier(net, o, "out.", 1.0);
    for (int j = 0; j < n_heads; j++) {
        char tag[16];
        snprintf(tag, sizeof tag, "head%d.", j + 1);
        nn_net_begin_head(net, heads[j].node);
        if (build_list(net, heads[j].layers, o, heads[j].where, tag, NULL, NULL)) {
            nn_net_free(net);
            return NULL;
        }
        classifier(net, o, tag, heads[j].alpha);
    }
    nn_net_finalize(net, max_batch, seed);
    return net;
}
