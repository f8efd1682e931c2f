/* fuzz_arch.c — libFuzzer target: a declared layer list (lab/nn_arch.h) built into a network and run.
 *
 * The input is the JSON text of a "layers" list. The target builds it for 8 × 8 one-channel images and 3
 * classes; a list the builder accepts is then run forward, through the loss and backward on a batch of two, so
 * that every kind it can declare (those of the layer table with keys, and head) is read and written
 * under the sanitizers. A refusal must come with a message. Sizes are the fuzzer's to keep small: an input with a
 * number above 64 or more than 16 entries is skipped (the programs' memory checks answer for larger nets, and the
 * settings fuzzer drives those). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nnlab.h"

/* every number in the document at most 64, every list at most 16 long */
static int small(const cJSON *v)
{
    if (cJSON_IsNumber(v)) return fabs(v->valuedouble) <= 64;
    if (cJSON_GetArraySize(v) > 16) return 0;
    for (const cJSON *c = v ? v->child : NULL; c; c = c->next)
        if (!small(c)) return 0;
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cJSON *layers = cJSON_ParseWithLength((const char *)data, size);
    if (!layers || !small(layers)) {
        cJSON_Delete(layers);
        return 0;
    }
    nn_arch_opts o = {.in_c = 1, .in_h = 8, .in_w = 8, .n_classes = 3, .w_init = {NN_INIT_HE_NORMAL, 1},
                      .b_init = {NN_INIT_ZERO, 0}, .bn_eps = 1e-5, .bn_momentum = 0.1, .head_alpha = 0.3};
    nn_net *net = nn_arch_build(layers, &o, 2, 1);
    if (!net) {
        if (!nn_error()[0]) abort(); /* a refusal says why */
        cJSON_Delete(layers);
        return 0;
    }
    nn_real X[2 * 64];
    for (int i = 0; i < 2 * 64; i++) X[i] = (nn_real)((i * 37 % 64) / 64.0);
    const int y[2] = {0, 2};
    nn_net_forward(net, X, 2, NN_TRAIN);
    nn_net_set_labels(net, y, 2);
    nn_net_loss(net, net->Y, 1);
    nn_net_zero_grad(net);
    nn_net_backward(net);
    nn_net_forward(net, X, 1, NN_EVAL);
    nn_net_free(net);
    cJSON_Delete(layers);
    return 0;
}
