/* nn_layer.h — what a layer kind is, and what its file may use of the network.
 *
 * A kind is one entry of nn_layer_kinds[] (nn_layers.c, indexed by nn_layer_kind, sized by
 * NN_L_KIND_COUNT) and one file with its builder, its forward and its backward side by side:
 *   dense      nn_dense.c       conv, pool   nn_conv.c       avgpool     nn_avgpool.c
 *   act        nn_act.c         batchnorm    nn_batchnorm.c  dropout     nn_dropout.c
 *   noise      nn_noise.c       add, concat  nn_merge.c      maxout      nn_maxout.c
 * nn_net.c walks the layers and calls the entry; it has no switch on the kind. The suite
 * gradient-checks every entry through its `example` (test_gradcheck.c loops over the table),
 * and a kind with `args` is available in declared layers (nn_arch.h) under its `name`.
 *
 * Adding a kind: its enum value before NN_L_KIND_COUNT (nn_net.h), its entry here and in
 * nn_layers.c, its file. */
#ifndef NN_LAYER_H
#define NN_LAYER_H

#include "nn_net.h"

/* ---- a declared layer's settings (nn_arch.h reads them from a config) ---------------- */
typedef enum { NN_ARG_INT, NN_ARG_REAL, NN_ARG_BOOL, NN_ARG_ACT } nn_arg_type;
#define NN_LAYER_MAX_ARGS 4
typedef struct nn_layer_arg {
    const char *key;    /* args[0]'s key is the kind's name: {"conv": 20, "kernel": 5} */
    nn_arg_type type;
    double dflt;        /* when the key is absent (args[0] is required) */
    int dflt_from;      /* > 0: the default is args[dflt_from − 1]'s value (a pooling stride = its window) */
    double lo, hi;      /* the accepted range (a probability's hi is excluded: `hi_open`) */
    int hi_open;
    const char *must;   /* the refusal's wording when it is not in range, e.g. "a probability in [0, 1)" */
} nn_layer_arg;
typedef struct nn_layer_decl {
    double v[NN_LAYER_MAX_ARGS];    /* the args' values, in the order of `args` (booleans 0/1, an nn_act) */
    nn_init w_init, b_init;         /* kinds with `takes_init`: the entry's "init"/"init_scale" or the defaults */
    double bn_eps, bn_momentum;
} nn_layer_decl;

typedef struct nn_layer_ops {
    const char *name;   /* the kind's name, and its key in declared layers */
    /* finalize: how many parameters (NULL: none) and binding their views (nn_layer_tensor) and the
     * kind's buffers for batches up to net->max_batch (NULL: none) */
    size_t (*n_params)(const nn_layer *L);
    void (*setup)(nn_net *net, int layer, size_t *offset);
    void (*init)(nn_layer *L, nn_rng *r);   /* draw the parameters, reset state (NULL: nothing) */
    /* y = f(x) into L->out for B rows; x is the node L->in reads (the second input via L->in2) */
    void (*forward)(nn_net *net, nn_layer *L, const nn_real *x, int B);
    /* from L->dout: add ∂ℓ/∂x into dx (NULL at the network input) and write (fresh) or add the
     * parameter gradients */
    void (*backward)(nn_net *net, nn_layer *L, const nn_real *x, nn_real *dx, int B, int fresh);
    /* a small layer of this kind on the current node, an image of 2 × 4 × 4 made by a convolution
     * (node 0): the suite checks its gradients through this (test_gradcheck.c) */
    int (*example)(nn_net *net);
    /* declared layers: the entry's keys (none: not declarable), whether it takes "init" and
     * "init_scale", and the builder; −1 with a message when the shape does not fit */
    nn_layer_arg args[NN_LAYER_MAX_ARGS];
    int takes_init;
    int (*declare)(nn_net *net, const nn_layer_decl *d);
} nn_layer_ops;

#define NN_LAYER_MAX_TENSORS 2 /* parameter tensors a layer may have */
extern const nn_layer_ops *const nn_layer_kinds[NN_L_KIND_COUNT];
extern const nn_layer_ops nn_dense_ops, nn_act_ops, nn_batchnorm_ops, nn_dropout_ops, nn_add_ops, nn_conv_ops,
    nn_maxpool_ops, nn_noise_ops, nn_concat_ops, nn_maxout_ops, nn_avgpool_ops;
/* The kind whose name is `name`, or −1. */
int nn_layer_kind_of(const char *name);

/* ---- a network as a list of layers: the one way the lab describes a network ----------
 * An item is a layer of a kind with its settings (what its entry's `declare` takes), or a step of
 * the list itself: an addition or a concatenation with an earlier item's output, the start of a
 * head that reads an earlier item's output, an output (the loss on the current node, weighted).
 * The MLP builder (nn_mlp_layers) and declared layers (nn_arch.h) both produce a list, and
 * nn_net_build is the one builder: items in order, each layer named by its item. */
enum { NN_ITEM_OUTPUT = NN_L_KIND_COUNT, NN_ITEM_HEAD };
typedef struct nn_layer_item {
    int kind;           /* an nn_layer_kind, NN_ITEM_OUTPUT or NN_ITEM_HEAD */
    nn_layer_decl d;    /* a declarable kind's settings (nn_layer_decl above) */
    int from;           /* add, concat, head: the item whose output it reads (−1: the network's input) */
    nn_loss loss;       /* output: its loss and weight (a head's α; the main output's is 1) */
    double weight;
    char name[40];      /* the layer's name ("": the kind's own, "<kind><index>") */
} nn_layer_item;
typedef struct nn_layer_list {
    int n_input, in_c, in_h, in_w; /* the input: its width, and its shape per sample (in_c 0: a vector) */
    nn_layer_item *item;
    int n, cap;
} nn_layer_list;
/* Append an item of `kind` named `name` (NULL: "") with `from` −1 and weight 1; the list owns it. */
nn_layer_item *nn_layer_list_push(nn_layer_list *l, int kind, const char *name);
void nn_layer_list_free(nn_layer_list *l);
/* Build and finalize the network a list describes; NULL with a message when a layer does not fit (its item's
 * index into *bad_item when that is not NULL; −1 for the network as a whole). */
nn_net *nn_net_build(const nn_layer_list *l, int max_batch, uint64_t seed, int *bad_item);
/* The list an MLP spec describes (nn_mlp_build = nn_mlp_layers + nn_net_build); −1 with a message. */
int nn_mlp_layers(const nn_mlp_spec *spec, nn_layer_list *l);

/* ---- for the kinds' files ------------------------------------------------------------ */
/* Append a layer of `kind` of width n reading the current node, named "<name><index>"; an
 * element-wise layer keeps its input's shape, others set L->c, h, w after. */
nn_layer *nn_net_append(nn_net *net, nn_layer_kind kind, int n, const char *name);
int nn_net_node_width(const nn_net *net, int node);
void nn_net_node_shape(const nn_net *net, int node, int *c, int *h, int *w);
/* A parameter tensor "<layer>.<what>" of `size` at *offset in the slab (its view is
 * net->params + the returned offset); decay 1 for weights. */
size_t nn_layer_tensor(nn_net *net, int layer, const char *what, size_t size, int decay, size_t *offset);
/* A pooling layer of `kind` (q × q windows, a stride, no padding: nn_pool_shape) on the current node's maps;
 * −1 with a message when the window does not fit (nn_conv.c, for max and average pooling). */
int nn_net_pool(nn_net *net, nn_layer_kind kind, int q, int stride, const char *name);
/* dst += src over N values */
void nn_add_into(nn_real *dst, const nn_real *src, size_t N);

#endif
