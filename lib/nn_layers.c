/* nn_layers.c — the table of layer kinds (nn_layer.h): one entry a kind, each in its own file. */
#include "nn_layer.h"

#include <string.h>

const nn_layer_ops *const nn_layer_kinds[NN_L_KIND_COUNT] = {
    [NN_L_DENSE] = &nn_dense_ops,     [NN_L_ACT] = &nn_act_ops,         [NN_L_BATCHNORM] = &nn_batchnorm_ops,
    [NN_L_DROPOUT] = &nn_dropout_ops, [NN_L_ADD] = &nn_add_ops,         [NN_L_CONV] = &nn_conv_ops,
    [NN_L_MAXPOOL] = &nn_maxpool_ops, [NN_L_NOISE] = &nn_noise_ops,     [NN_L_CONCAT] = &nn_concat_ops,
    [NN_L_MAXOUT] = &nn_maxout_ops,   [NN_L_AVGPOOL] = &nn_avgpool_ops,
};

int nn_layer_kind_of(const char *name)
{
    for (int k = 0; k < NN_L_KIND_COUNT; k++)
        if (nn_layer_kinds[k] && !strcmp(nn_layer_kinds[k]->name, name)) return k;
    return -1;
}
