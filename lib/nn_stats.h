/* nn_stats.h — per-layer gradient and activation statistics, computed by the library.
 *
 * Gradient statistics read net->grads after backward (before the optimizer step, which
 * changes them with L2 and clipping): for a dense layer ‖∂L/∂W‖, ‖∂L/∂b‖ (Euclidean
 * norms), mean |∂L/∂W| and mean |∂L/∂b|.
 * Activation statistics read a node's output of the last forward (its B rows): mean,
 * standard deviation (population), the 15th/50th/85th percentiles (linear interpolation
 * between order statistics) and the saturated fraction for that activation (see
 * nn_act_saturated). No allocation: percentiles sort a copy in a caller-given scratch
 * buffer of B·n values.
 */
#ifndef NN_STATS_H
#define NN_STATS_H

#include "nn_net.h"

typedef struct nn_grad_stats {
    double w_norm, b_norm, w_mean_abs, b_mean_abs;
} nn_grad_stats;

typedef struct nn_value_stats {
    double mean, std, p15, p50, p85, saturated;
    long count;
} nn_value_stats;

void nn_stats_grad(const nn_net *net, int dense_layer, nn_grad_stats *out);
/* Statistics of any B·n values; act decides what counts as saturated (NN_ACT_COUNT:
 * nothing). scratch holds at least `count` values. */
void nn_stats_values(const nn_real *v, long count, nn_act act, nn_real *scratch, nn_value_stats *out);
/* Statistics of layer `layer`'s output over the last forward's rows; for an activation
 * layer, saturation is judged by its activation. */
void nn_stats_node(const nn_net *net, int layer, nn_real *scratch, nn_value_stats *out);
/* Column `unit` of a node's output over the last forward's rows (scratch: 2·B values; e.g. one unit's
 * sigmoid input over the batch), with its percentiles. */
void nn_stats_unit(const nn_net *net, int layer, int unit, nn_real *scratch, nn_value_stats *out);
/* Percentile q ∈ [0, 100] of sorted values (linear interpolation). */
double nn_percentile_sorted(const nn_real *sorted, long count, double q);

#endif
