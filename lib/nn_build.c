/* nn_build.c — a network from its list of layers (see nn_layer.h): the one builder. */
#include "nn_layer.h"

#include <stdlib.h>
#include <string.h>

nn_layer_item *nn_layer_list_push(nn_layer_list *l, int kind, const char *name)
{
    NN_ASSERT(kind >= 0 && kind <= NN_ITEM_HEAD, "item kind %d", kind);
    if (l->n == l->cap) {
        const int cap = l->cap ? 2 * l->cap : 16;
        nn_layer_item *it = realloc(l->item, (size_t)cap * sizeof *it);
        NN_ASSERT(it != NULL, "out of memory");
        l->item = it, l->cap = cap;
    }
    nn_layer_item *it = &l->item[l->n++];
    memset(it, 0, sizeof *it);
    it->kind = kind, it->from = -1, it->weight = 1;
    snprintf(it->name, sizeof it->name, "%s", name ? name : "");
    return it;
}

void nn_layer_list_free(nn_layer_list *l)
{
    free(l->item);
    l->item = NULL, l->n = l->cap = 0;
}

nn_net *nn_net_build(const nn_layer_list *l, int max_batch, uint64_t seed, int *bad_item)
{
    if (bad_item) *bad_item = -1;
    nn_net *net = nn_net_new(l->n_input);
    if (l->in_c > 0) nn_net_input_shape(net, l->in_c, l->in_h, l->in_w);
    int *node = nn_calloc(l->n > 0 ? (size_t)l->n : 1, sizeof *node); /* the node each item leaves current */
    int ok = 1;
    for (int i = 0; i < l->n && ok; i++) {
        const nn_layer_item *it = &l->item[i];
        NN_ASSERT(it->from < i, "item %d reads item %d, which comes after it", i, it->from);
        const int from = it->from < 0 ? -1 : node[it->from];
        int layer = -1;
        if (it->kind == NN_ITEM_OUTPUT) ok = nn_net_output(net, it->loss, it->weight) >= 0;
        else if (it->kind == NN_ITEM_HEAD) nn_net_begin_head(net, from);
        else if (it->kind == NN_L_ADD) layer = nn_net_add(net, from);
        else if (it->kind == NN_L_CONCAT) layer = nn_net_concat(net, from);
        else {
            NN_ASSERT(nn_layer_kinds[it->kind]->declare, "layer kind %s has no builder", nn_layer_kinds[it->kind]->name);
            ok = (layer = nn_layer_kinds[it->kind]->declare(net, &it->d)) >= 0;
        }
        if (!ok && bad_item) *bad_item = i;
        if (ok && layer >= 0 && it->name[0]) nn_net_name_layer(net, layer, it->name);
        node[i] = net->cur;
    }
    free(node);
    if (!ok || nn_net_finalize(net, max_batch, seed)) {
        nn_net_free(net);
        return NULL;
    }
    return net;
}
