/* nn_netcfg.h — the network and training settings every program shares, as config keys.
 *
 * An experiment embeds an nn_netcfg in its settings, appends nn_netcfg_fields() to its
 * field table, and turns the result into an nn_mlp_spec, an nn_optim and an
 * nn_train_cfg. So in every program whose nets come from these settings "where do I change the
 * activation" has one answer: the key `activation` of its config (or --activation). A program that
 * builds its nets otherwise (declared layers, or activations it compares itself) refuses the key and
 * says why; `bin/NAME --help` lists the keys a program takes.
 */
#ifndef NN_NETCFG_H
#define NN_NETCFG_H

#include "nn_cli.h"
#include "nn_net.h"
#include "nn_optim.h"
#include "nn_train.h"

typedef struct nn_netcfg {
    int hidden[NN_MAX_HIDDEN];
    int n_hidden;
    char activation[NN_MAX_HIDDEN][NN_STR]; /* one name for all layers, or one per layer */
    int n_activation;
    char output[NN_STR];        /* output activation */
    char loss[NN_STR];
    char init[NN_STR];
    double init_scale;
    char bias_init[NN_STR];
    double bias_scale;
    int batchnorm;
    double bn_eps, bn_momentum;
    double dropout;
    int residual;
    int heads[NN_MAX_OUTPUTS];  /* hidden layers (1-based) that carry an auxiliary head */
    int n_heads;
    double head_alpha;
    char optimizer[NN_STR];
    double lr, momentum, l2, clip_norm, clip_value;
    char lr_schedule[NN_STR];
    int lr_step;
    double lr_gamma;
    int batch, epochs;
} nn_netcfg;

/* The defaults: 784-30-10 sigmoid, softmax + cross-entropy, N(0, 1/n_in) weights,
 * N(0, 1) biases, SGD η = 0.1, mini-batch 10, 10 epochs. */
void nn_netcfg_defaults(nn_netcfg *c);
/* Writes the field entries (without terminator) at `out`; returns how many (≤ 32). */
int nn_netcfg_fields(nn_netcfg *c, nn_cfg_field *out);
/* Every network key except those in `except` ({key, why} pairs, {NULL} terminated): their
 * entries at `out` (returns how many); the excepted ones are appended to `refused` (*n_refused
 * grows), so using one is an error that says why — a program excepts exactly the keys it sets
 * itself. An excepted key keeps the library's neutral value (no dropout, constant rate, …). */
int nn_netcfg_fields_except(nn_netcfg *c, nn_cfg_field *out, const nn_cfg_refusal *except, nn_cfg_refusal *refused,
                            int *n_refused);
/* Remove from a resolved settings object the keys that had no effect: momentum for plain
 * SGD, the step schedule's keys for a constant rate, batch-norm keys without batch norm,
 * head_alpha without heads. */
void nn_netcfg_prune_json(cJSON *settings);
/* Resolve names into a spec; fails with a message naming the key. */
int nn_netcfg_spec(const nn_netcfg *c, int n_input, int n_output, nn_mlp_spec *spec);
int nn_netcfg_optim(const nn_netcfg *c, nn_optim *opt);

#endif
