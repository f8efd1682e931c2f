/* nn_arch.c — build a network from a JSON list of layers (see nn_arch.h). */
#include "nn_arch.h"

#include <math.h>
#include <string.h>

/* "layers[i]: " before the message a library call left (copied first: nn_fail writes the same buffer) */
static int fail_at(int i)
{
    char why[512];
    snprintf(why, sizeof why, "%s", nn_error());
    return nn_fail("layers[%d]: %s", i, why);
}

/* an integer field of entry i, or `dflt` when absent; −1 (and a message) when not a whole number in range */
static int int_field(const cJSON *e, const char *key, int dflt, int lo, int hi, int i, int *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, key);
    if (!v) {
        *out = dflt;
        return 0;
    }
    if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble) || v->valuedouble < lo || v->valuedouble > hi)
        return nn_fail("layers[%d]: '%s' must be a whole number from %d to %d", i, key, lo, hi);
    *out = (int)v->valuedouble;
    return 0;
}

static int init_field(const cJSON *e, nn_init dflt, int i, nn_init *out)
{
    *out = dflt;
    const cJSON *k = cJSON_GetObjectItemCaseSensitive(e, "init"), *s = cJSON_GetObjectItemCaseSensitive(e, "init_scale");
    if (k && !cJSON_IsString(k)) return nn_fail("layers[%d]: 'init' must be a scheme name", i);
    if (k && nn_init_parse(k->valuestring, &out->kind)) return fail_at(i);
    if (s && (!cJSON_IsNumber(s) || !(s->valuedouble >= 0) || s->valuedouble > 1e6))
        return nn_fail("layers[%d]: 'init_scale' must be a number from 0 to 1e6", i);
    if (s) out->scale = s->valuedouble;
    return 0;
}

/* every key of entry i must be one the layer knows */
static int only_keys(const cJSON *e, const char *const *keys, int i)
{
    const cJSON *kv;
    cJSON_ArrayForEach(kv, e)
    {
        int ok = 0;
        for (int q = 0; keys[q] && !ok; q++) ok = !strcmp(kv->string, keys[q]);
        if (!ok) return nn_fail("layers[%d]: unknown key '%s' for a %s layer", i, kv->string, e->child->string);
    }
    return 0;
}

nn_net *nn_arch_build(const cJSON *layers, const nn_arch_opts *o, int max_batch, uint64_t seed)
{
    if (!cJSON_IsArray(layers)) {
        nn_fail("'layers' must be a list of layer objects");
        return NULL;
    }
    nn_net *net = nn_net_new(o->in_c * o->in_h * o->in_w);
    nn_net_input_shape(net, o->in_c, o->in_h, o->in_w);
    int i = 0, rc = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, layers)
    {
        if (!cJSON_IsObject(e) || !e->child) {
            rc = nn_fail("layers[%d]: each layer is an object such as {\"dense\": 100}", i);
            break;
        }
        const char *kind = e->child->string;
        if (!strcmp(kind, "conv")) {
            static const char *const keys[] = {"conv", "kernel", "stride", "pad", "init", "init_scale", NULL};
            int c = 0, k = 0, s = 0, p = 0;
            nn_init w;
            if ((rc = only_keys(e, keys, i)) || (rc = int_field(e, "conv", 0, 1, 4096, i, &c)) ||
                (rc = int_field(e, "kernel", 3, 1, 64, i, &k)) || (rc = int_field(e, "stride", 1, 1, 64, i, &s)) ||
                (rc = int_field(e, "pad", 0, 0, 64, i, &p)) || (rc = init_field(e, o->w_init, i, &w)))
                break;
            if (nn_net_conv(net, c, k, s, p, w, o->b_init) < 0) {
                rc = fail_at(i);
                break;
            }
        } else if (!strcmp(kind, "pool")) {
            static const char *const keys[] = {"pool", "stride", NULL};
            int q = 0, s = 0;
            if ((rc = only_keys(e, keys, i)) || (rc = int_field(e, "pool", 0, 1, 64, i, &q)) ||
                (rc = int_field(e, "stride", q, 1, 64, i, &s)))
                break;
            if (nn_net_maxpool(net, q, s) < 0) {
                rc = fail_at(i);
                break;
            }
        } else if (!strcmp(kind, "dense")) {
            static const char *const keys[] = {"dense", "init", "init_scale", NULL};
            int n = 0;
            nn_init w;
            if ((rc = only_keys(e, keys, i)) || (rc = int_field(e, "dense", 0, 1, 1 << 20, i, &n)) ||
                (rc = init_field(e, o->w_init, i, &w)))
                break;
            nn_net_dense(net, n, 1, w, o->b_init);
        } else if (!strcmp(kind, "act")) {
            static const char *const keys[] = {"act", NULL};
            nn_act a;
            if ((rc = only_keys(e, keys, i))) break;
            if (!cJSON_IsString(e->child) || nn_act_parse(e->child->valuestring, &a) || a >= NN_ACT_N_ELEMENTWISE) {
                rc = nn_fail("layers[%d]: 'act' must be a hidden activation (%s)", i,
                             cJSON_IsString(e->child) ? e->child->valuestring : "not a string");
                break;
            }
            nn_net_act(net, a);
        } else if (!strcmp(kind, "batchnorm")) {
            static const char *const keys[] = {"batchnorm", NULL};
            if ((rc = only_keys(e, keys, i))) break;
            if (!cJSON_IsTrue(e->child)) {
                rc = nn_fail("layers[%d]: 'batchnorm' must be true (leave the entry out for none)", i);
                break;
            }
            nn_net_batchnorm(net, o->bn_eps, o->bn_momentum);
        } else if (!strcmp(kind, "dropout")) {
            static const char *const keys[] = {"dropout", NULL};
            if ((rc = only_keys(e, keys, i))) break;
            if (!cJSON_IsNumber(e->child) || !(e->child->valuedouble >= 0 && e->child->valuedouble < 1)) {
                rc = nn_fail("layers[%d]: 'dropout' must be a probability in [0, 1)", i);
                break;
            }
            nn_net_dropout(net, e->child->valuedouble);
        } else {
            rc = nn_fail("layers[%d]: unknown layer '%s' (conv, pool, dense, act, batchnorm, dropout)", i, kind);
            break;
        }
        i++;
    }
    if (rc) {
        nn_net_free(net);
        return NULL;
    }
    nn_net_dense(net, o->n_classes, 1, o->w_init, o->b_init);
    nn_net_act(net, NN_SOFTMAX);
    nn_net_output(net, NN_LOSS_SOFTMAX_CE, 1.0);
    nn_net_finalize(net, max_batch, seed);
    return net;
}
