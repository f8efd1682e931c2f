/* nn_stats.c — gradient and activation statistics (see nn_stats.h). */
#include "nn_stats.h"

#include <math.h>
#include <string.h>

static void norm_and_mean_abs(const nn_real *g, size_t n, double *norm, double *mean_abs)
{
    double s2 = 0, sa = 0;
    for (size_t k = 0; k < n; k++) {
        s2 += (double)g[k] * g[k];
        sa += fabs((double)g[k]);
    }
    *norm = sqrt(s2);
    *mean_abs = n ? sa / (double)n : 0;
}

void nn_stats_grad(const nn_net *net, int dense_layer, nn_grad_stats *out)
{
    const nn_layer *L = &net->layers[dense_layer];
    NN_ASSERT(L->kind == NN_L_DENSE || L->kind == NN_L_CONV, "layer %s has no weights", L->name);
    memset(out, 0, sizeof *out);
    /* a conv layer's weights are (co, ci·k·k) and its biases (co) */
    size_t nw = L->kind == NN_L_CONV ? (size_t)L->conv.co * L->conv.ci * L->conv.k * L->conv.k : (size_t)L->n * L->n_in;
    size_t nb = L->kind == NN_L_CONV ? (size_t)L->conv.co : (size_t)L->n;
    norm_and_mean_abs(L->dW, nw, &out->w_norm, &out->w_mean_abs);
    if (L->has_bias) norm_and_mean_abs(L->db, nb, &out->b_norm, &out->b_mean_abs);
}

static int cmp_real(const void *a, const void *b)
{
    nn_real x = *(const nn_real *)a, y = *(const nn_real *)b;
    return (x > y) - (x < y);
}

double nn_percentile_sorted(const nn_real *s, long count, double q)
{
    if (count <= 0) return NAN;
    double pos = q / 100.0 * (double)(count - 1);
    long lo = (long)floor(pos);
    long hi = lo + 1 < count ? lo + 1 : lo;
    double f = pos - (double)lo;
    return (double)s[lo] + f * ((double)s[hi] - (double)s[lo]);
}

void nn_stats_values(const nn_real *v, long count, nn_act act, nn_real *scratch, nn_value_stats *out)
{
    memset(out, 0, sizeof *out);
    out->count = count;
    if (count <= 0) return;
    double s = 0, sat = 0;
    for (long k = 0; k < count; k++) {
        s += v[k];
        sat += nn_act_saturated(act, v[k]);
    }
    out->mean = s / (double)count;
    double s2 = 0;
    for (long k = 0; k < count; k++) s2 += ((double)v[k] - out->mean) * ((double)v[k] - out->mean);
    out->std = sqrt(s2 / (double)count);
    out->saturated = sat / (double)count;
    memcpy(scratch, v, (size_t)count * sizeof(nn_real));
    qsort(scratch, (size_t)count, sizeof(nn_real), cmp_real);
    out->p15 = nn_percentile_sorted(scratch, count, 15);
    out->p50 = nn_percentile_sorted(scratch, count, 50);
    out->p85 = nn_percentile_sorted(scratch, count, 85);
}

void nn_stats_node(const nn_net *net, int layer, nn_real *scratch, nn_value_stats *out)
{
    const nn_layer *L = &net->layers[layer];
    nn_act act = L->kind == NN_L_ACT ? L->act : NN_ACT_COUNT;
    nn_stats_values(L->out, (long)net->B * L->n, act, scratch, out);
}

void nn_stats_unit(const nn_net *net, int layer, int unit, nn_real *scratch, nn_value_stats *out)
{
    const nn_layer *L = &net->layers[layer];
    NN_ASSERT(unit >= 0 && unit < L->n, "unit %d of %d", unit, L->n);
    nn_real *col = scratch + net->B; /* gather the column after the sort area */
    for (int r = 0; r < net->B; r++) col[r] = L->out[(size_t)r * L->n + unit];
    nn_act act = L->kind == NN_L_ACT ? L->act : NN_ACT_COUNT;
    nn_stats_values(col, net->B, act, scratch, out);
}
