/* nn_arch.h — a network's layers declared in a config, so an architecture changes without C.
 *
 * "layers" is a JSON array; each entry is an object whose first key names the layer:
 *   {"conv": 20, "kernel": 5, "stride": 1, "pad": 0}   channels, k × k kernel (stride 1, pad 0 by default)
 *   {"pool": 2, "stride": 2}                           max pooling, q × q window (stride q by default)
 *   {"avgpool": 2, "stride": 2}                        average pooling, the same windows
 *   {"dense": 500}                                     a dense layer of 500 units
 *   {"act": "relu"}                                    any hidden activation of nn_act.h
 *   {"batchnorm": true}                                batch norm (eps and momentum from the arguments);
 *                                                      "affine": false holds γ = 1, β = 0, "through_stats":
 *                                                      false treats μ, σ² as constants in backward (lessons)
 *   {"maxout": 2}                                      max-out over groups of 2 units (Goodfellow et al. 2013)
 *   {"dropout": 0.5}                                   inverted dropout with this drop probability
 *   {"head": [...], "alpha": 0.3}                      an auxiliary head here (deep supervision): its
 *                                                      layers, then dense(n_classes) → softmax with the
 *                                                      cross-entropy, weighted α (default: head_alpha)
 * The keys of each kind, their defaults and ranges are its entry's in the layer table (nn_layer.h).
 * Conv and dense layers take optional "init" and "init_scale" (default: the arguments' w_init);
 * their biases use b_init. Heads read the node where they stand; output 0 is the main one and
 * heads are outputs 1, 2, … in the order they appear. After the last entry the builder appends the output: a dense layer
 * of n_classes units, softmax and the cross-entropy loss. Caffe's LeNet (seed 004) is
 *   [{"conv": 20, "kernel": 5}, {"pool": 2}, {"conv": 50, "kernel": 5}, {"pool": 2},
 *    {"dense": 500}, {"act": "relu"}]
 */
#ifndef NN_ARCH_H
#define NN_ARCH_H

#include <cjson/cJSON.h>

#include "nn_net.h"

typedef struct nn_arch_opts {
    int in_c, in_h, in_w;     /* the input's shape per sample */
    int n_classes;
    nn_init w_init, b_init;   /* defaults for conv and dense layers */
    double bn_eps, bn_momentum;
    double head_alpha;        /* a head's α when its entry has none */
    int skip_heads;           /* 1: build the net without its heads (the plain net to compare with) */
} nn_arch_opts;

/* How many entries of `layers` (its trunk: not inside heads) are of the kind called `name` ("conv", "dense", …). */
int nn_arch_count(const cJSON *layers, const char *name);
/* Build and finalize the network; NULL with a message naming the entry and the problem. */
nn_net *nn_arch_build(const cJSON *layers, const nn_arch_opts *o, int max_batch, uint64_t seed);

#endif
