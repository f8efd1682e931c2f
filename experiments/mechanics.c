/* mechanics — the lectures' formulas, checked on a running network (seeds 000–004).
 *
 * The notes state rules: how L2 decay changes a step, what the error signal of a softmax
 * output is, how δ travels down a layer, what batch norm computes forward and backward,
 * what a dropout mask does, how momentum accumulates, where max pooling sends its gradient,
 * what a convolution computes. A library can get each of them subtly wrong and still train.
 * This program takes one mini-batch of real images per seed through the library's own
 * layers and recomputes each quantity from the lecture's formula, independently, in
 * double precision, from what the layers kept (their inputs, outputs and gradients).
 *
 * Every check names a plausible wrong formula as well (the seed's own sign slip for L2,
 * the quadratic cost's σ′ factor, 1/(B − 1) for the batch variance, the backward pass
 * without the ∂σ² term, …), and a claim holds when the library is at least 100 times
 * closer to the lecture's formula than to that alternative:
 *     ratio = max |library − formula| / max |library − alternative|  <  0.01.
 * Where a setting makes the two formulas coincide (λ = 0, p = 0.5, α = 0) the claim is
 * not measured and says why.
 *
 * The conditions are the checks, in the table's order (name the claim's id, group the formula's family:
 * update, output-error, backprop, batchnorm, dropout, conv, chain; x its index). A cell runs one check on
 * its seed's mini-batches (three consecutive blocks of 'batch' training samples, starting further on for
 * each seed) and records 'value', the claim's quantity, and 'first_sample'; the bias-before-BN check also
 * its bias gradient over its weight gradient. A check not measured under the settings is not run.
 *
 * Settings: experiments/mechanics.json (every key: bin/mechanics --help).
 */
#include <math.h>
#include <string.h>

#include "nnlab.h"

typedef struct settings {
    nn_exp_common common;
    int batch, width, chain;
    double lr, l2, momentum, dropout, bn_eps;
    int check; /* a condition's: the check it runs (its index in checks[]) */
} settings;

static int fields(void *p, nn_cfg_field *f, nn_cfg_refusal *r, int *n_r)
{
    (void)r, (void)n_r;
    settings *s = p;
    int n = nn_exp_common_fields(&s->common, f);
    f[n++] = (nn_cfg_field){"batch", NN_CFG_INT, &s->batch, 2, 4096, NULL, NULL, 0, 0, "mini-batch size of every check"};
    f[n++] = (nn_cfg_field){"width", NN_CFG_INT, &s->width, 1, 4096, NULL, NULL, 0, 0, "units per hidden layer"};
    f[n++] = (nn_cfg_field){"chain", NN_CFG_INT, &s->chain, 2, 64, NULL, NULL, 0, 0,
                            "layers of the scalar linear chain (seed 002's x·w1⋯wl example)"};
    f[n++] = (nn_cfg_field){"lr", NN_CFG_REAL, &s->lr, 1e-6, 10, NULL, NULL, 0, 0, "learning rate of the update checks"};
    f[n++] = (nn_cfg_field){"l2", NN_CFG_REAL, &s->l2, 0, 1, NULL, NULL, 0, 0, "L2 coefficient λ of the decay check"};
    f[n++] =
        (nn_cfg_field){"momentum", NN_CFG_REAL, &s->momentum, 0, 0.999, NULL, NULL, 0, 0, "momentum α of the momentum check"};
    f[n++] = (nn_cfg_field){"dropout", NN_CFG_REAL, &s->dropout, 0, 0.95, NULL, NULL, 0, 0, "probability of dropping a unit"};
    f[n++] = (nn_cfg_field){"bn_eps", NN_CFG_REAL, &s->bn_eps, 1e-12, 1, NULL, NULL, 0, 0, "batch norm's ε"};
    return n;
}

static const nn_exp_def def = {"mechanics", "The lectures' formulas recomputed from a running network's layers: "
                               "each against a plausible wrong one.", NN_EXP_BUILTIN_CONFIG, sizeof(settings), fields};

/* ---- small helpers ------------------------------------------------------------------- */

static double max_abs_diff(const nn_real *a, const double *b, size_t n)
{
    double m = 0;
    for (size_t i = 0; i < n; i++) m = fmax(m, fabs((double)a[i] - b[i]));
    return m;
}

/* library − formula over library − alternative; NaN when the two formulas coincide */
static double closeness(double d_rule, double d_alt)
{
    return d_alt > 0 ? d_rule / d_alt : NAN;
}

static nn_init init_of(nn_init_kind k) { return (nn_init){k, 1.0}; }

/* One forward + backward of `net` on rows [0, B) of X with labels y (training mode). */
static double step_grads(nn_net *net, const nn_real *X, const int *y, int B)
{
    nn_net_forward(net, X, B, NN_TRAIN);
    nn_net_set_labels(net, y, B);
    double loss = nn_net_loss(net, net->Y, 1);
    nn_net_zero_grad(net);
    nn_net_backward(net);
    return loss;
}

/* dense(width) [→ BN] → act → [dropout] → dense(classes) → softmax (or sigmoid with the quadratic
 * cost); returns the net with `nodes` filled: [0] first dense, [1] BN or −1, [2] first act,
 * [3] dropout or −1, [4] second dense, [5] second act, [6] output dense, [7] output act */
static nn_net *small_net(int d, int width, int classes, int bn, double eps, double p_drop, int quadratic, int bias_before_bn,
                         int B, uint64_t seed, int nodes[8])
{
    nn_net *net = nn_net_new(d);
    nodes[0] = nn_net_dense(net, width, !bn || bias_before_bn, init_of(NN_INIT_NORMAL_FANIN), init_of(NN_INIT_ZERO));
    nodes[1] = bn ? nn_net_batchnorm(net, eps, 0.1) : -1;
    nodes[2] = nn_net_act(net, NN_SIGMOID);
    nodes[3] = p_drop > 0 ? nn_net_dropout(net, p_drop) : -1;
    nodes[4] = nn_net_dense(net, width, 1, init_of(NN_INIT_NORMAL_FANIN), init_of(NN_INIT_ZERO));
    nodes[5] = nn_net_act(net, NN_SIGMOID);
    nodes[6] = nn_net_dense(net, classes, 1, init_of(NN_INIT_NORMAL_FANIN), init_of(NN_INIT_ZERO));
    nodes[7] = nn_net_act(net, quadratic ? NN_SIGMOID : NN_SOFTMAX);
    nn_net_output(net, quadratic ? NN_LOSS_QUADRATIC : NN_LOSS_SOFTMAX_CE, 1.0);
    nn_exp_finalize(net, B, seed);
    return net;
}

/* ---- the checks, one per lecture rule ------------------------------------------------ */

/* L2 decay (seeds 000, 001): θ' = (1 − ηλ)θ − η∇L for weights; the alternative is seed 001's
 * printed (1 + ηλ). */
static double check_l2(const settings *s, const nn_real *X, const int *y, int d, int K, uint64_t seed)
{
    int nd[8];
    nn_net *net = small_net(d, s->width, K, 0, s->bn_eps, 0, 0, 0, s->batch, seed, nd);
    step_grads(net, X, y, s->batch);
    size_t P = net->n_params;
    double *th = malloc(P * sizeof *th), *g = malloc(P * sizeof *g);
    for (size_t i = 0; i < P; i++) th[i] = net->params[i], g[i] = net->grads[i];
    nn_optim o = {.kind = NN_OPT_SGD, .lr = s->lr, .l2 = s->l2};
    nn_optim_init(&o, net);
    nn_optim_step(&o, net, s->lr);
    double d_rule = 0, d_alt = 0;
    for (int t = 0; t < net->n_tensors; t++) {
        const nn_tensor *T = &net->tensors[t];
        if (!T->decay) continue;
        for (size_t i = T->offset; i < T->offset + T->size; i++) {
            double rule = (1 - s->lr * s->l2) * th[i] - s->lr * g[i], alt = (1 + s->lr * s->l2) * th[i] - s->lr * g[i];
            d_rule = fmax(d_rule, fabs(net->params[i] - rule));
            d_alt = fmax(d_alt, fabs(net->params[i] - alt));
        }
    }
    free(th), free(g);
    nn_optim_free(&o);
    nn_net_free(net);
    return closeness(d_rule, d_alt);
}

/* The output error signal (seeds 000, 004): softmax + cross-entropy gives ∂C/∂z = (ŷ − y)/B,
 * no σ′ factor; a sigmoid output with the quadratic cost gives (a − y)σ′(z)/B. `quadratic`
 * chooses which net; the rule is that net's lecture formula and the alternative the other's. */
static double check_delta(const settings *s, const nn_real *X, const int *y, int d, int K, uint64_t seed, int quadratic)
{
    int nd[8], B = s->batch;
    nn_net *net = small_net(d, s->width, K, 0, s->bn_eps, 0, quadratic, 0, B, seed, nd);
    step_grads(net, X, y, B);
    const nn_real *a = nn_net_node_out(net, nd[7]), *dz = nn_net_node_dout(net, nd[6]);
    double d_rule = 0, d_alt = 0;
    for (int i = 0; i < B * K; i++) {
        double e = a[i] - net->Y[i], sp = a[i] * (1 - a[i]); /* σ′(z) = a(1 − a) for the sigmoid */
        double with = e * sp / B, without = e / B;
        d_rule = fmax(d_rule, fabs(dz[i] - (quadratic ? with : without)));
        d_alt = fmax(d_alt, fabs(dz[i] - (quadratic ? without : with)));
    }
    nn_net_free(net);
    return closeness(d_rule, d_alt);
}

/* The backward recursion (seeds 001, 004): δ² = σ′(z²) ∘ (W³)ᵀ δ³ and ∂C/∂W² = Σ_b δ²_b (a¹_b)ᵀ;
 * the alternative forgets the σ′ factor. Compared on ∂C/∂W² (so δ and the outer product both count). */
static double check_backprop(const settings *s, const nn_real *X, const int *y, int d, int K, uint64_t seed)
{
    int nd[8], B = s->batch, n = s->width;
    nn_net *net = small_net(d, n, K, 0, s->bn_eps, 0, 0, 0, B, seed, nd);
    step_grads(net, X, y, B);
    const nn_layer *out = &net->layers[nd[6]], *l2 = &net->layers[nd[4]];
    const nn_real *d3 = nn_net_node_dout(net, nd[6]), *a2 = nn_net_node_out(net, nd[5]), *a1 = nn_net_node_out(net, nd[2]);
    double *dr = calloc((size_t)B * n, sizeof *dr), *da = calloc((size_t)B * n, sizeof *da);
    for (int b = 0; b < B; b++)
        for (int j = 0; j < n; j++) {
            double back = 0;
            for (int k = 0; k < K; k++) back += (double)out->W[(size_t)k * n + j] * d3[(size_t)b * K + k];
            double a = a2[(size_t)b * n + j];
            dr[(size_t)b * n + j] = a * (1 - a) * back, da[(size_t)b * n + j] = back;
        }
    double d_rule = 0, d_alt = 0;
    for (int j = 0; j < n; j++)
        for (int i = 0; i < n; i++) {
            double r = 0, q = 0;
            for (int b = 0; b < B; b++)
                r += dr[(size_t)b * n + j] * a1[(size_t)b * n + i], q += da[(size_t)b * n + j] * a1[(size_t)b * n + i];
            double lib = l2->dW[(size_t)j * n + i];
            d_rule = fmax(d_rule, fabs(lib - r)), d_alt = fmax(d_alt, fabs(lib - q));
        }
    free(dr), free(da);
    nn_net_free(net);
    return closeness(d_rule, d_alt);
}

/* Batch norm (seeds 000, 002, 003, 004) on the first hidden layer's pre-activations x (B, n):
 * out[0] forward: x̂ = (x − μ)/√(σ² + ε) with the 1/B variance, against 1/(B − 1);
 * out[1] backward: ∂ℓ/∂x from seed 004's formulas, against the same without the ∂ℓ/∂σ² term;
 * out[2] the gradient never just shifts or scales a unit (seed 002): per unit, |Σ_b g_b| / Σ_b |g_b|
 *        and |Σ_b g_b x̂_b| / Σ_b |g_b x̂_b| (the larger, over units) of the library's ∂ℓ/∂x, over the
 *        same for the gradient with μ and σ held constant (γ/√(σ² + ε) · ∂ℓ/∂y). */
static void check_bn(const settings *s, const nn_real *X, const int *y, int d, int K, uint64_t seed, double out[3])
{
    int nd[8], B = s->batch, n = s->width;
    nn_net *net = small_net(d, n, K, 1, s->bn_eps, 0, 0, 0, B, seed, nd);
    /* γ, β away from 1, 0 so that the formulas' γ matters */
    nn_layer *bn = &net->layers[nd[1]];
    nn_rng rng;
    nn_rng_seed(&rng, seed ^ 0x9e3779b97f4a7c15ULL);
    for (int j = 0; j < n; j++)
        bn->gamma[j] = (nn_real)(0.5 + nn_rng_uniform(&rng)), bn->beta[j] = (nn_real)(0.2 * nn_rng_gauss(&rng));
    step_grads(net, X, y, B);
    const nn_real *x = nn_net_node_out(net, nd[0]), *dy = nn_net_node_dout(net, nd[1]), *dx = nn_net_node_dout(net, nd[0]);
    double *xh = malloc((size_t)B * sizeof *xh), *xa = malloc((size_t)B * sizeof *xa);
    double f_rule = 0, f_alt = 0, b_rule = 0, b_alt = 0, lib_share = 0, const_share = 0;
    for (int j = 0; j < n; j++) {
        double mu = 0, ss = 0;
        for (int b = 0; b < B; b++) mu += x[(size_t)b * n + j];
        mu /= B;
        for (int b = 0; b < B; b++) ss += (x[(size_t)b * n + j] - mu) * (x[(size_t)b * n + j] - mu);
        double var = ss / B, var_alt = ss / (B - 1), is = 1 / sqrt(var + s->bn_eps), is_alt = 1 / sqrt(var_alt + s->bn_eps);
        double g = bn->gamma[j];
        /* forward: the library's x̂ is its output before γ, β: (y − β)/γ */
        for (int b = 0; b < B; b++) {
            double lib = ((double)bn->out[(size_t)b * n + j] - bn->beta[j]) / g;
            xh[b] = (x[(size_t)b * n + j] - mu) * is, xa[b] = (x[(size_t)b * n + j] - mu) * is_alt;
            f_rule = fmax(f_rule, fabs(lib - xh[b])), f_alt = fmax(f_alt, fabs(lib - xa[b]));
        }
        /* backward, seed 004: ∂ℓ/∂x̂ = ∂ℓ/∂y·γ; ∂ℓ/∂σ² = Σ ∂ℓ/∂x̂ (x − μ)(−½)(σ² + ε)^(−3/2);
         * ∂ℓ/∂μ = −Σ ∂ℓ/∂x̂ /√(σ² + ε) + ∂ℓ/∂σ² · Σ −2(x − μ)/m;
         * ∂ℓ/∂x = ∂ℓ/∂x̂ /√(σ² + ε) + ∂ℓ/∂σ² · 2(x − μ)/m + ∂ℓ/∂μ /m */
        double dvar = 0, dmu = 0, sxm = 0;
        for (int b = 0; b < B; b++) {
            double dxh = dy[(size_t)b * n + j] * g, xm = x[(size_t)b * n + j] - mu;
            dvar += dxh * xm * -0.5 * is * is * is;
            dmu += -dxh * is;
            sxm += -2 * xm;
        }
        double dmu_alt = dmu; /* the alternative drops ∂ℓ/∂σ² everywhere */
        dmu += dvar * sxm / B;
        double s1 = 0, a1 = 0, s2 = 0, a2 = 0, c1 = 0, ca1 = 0, c2 = 0, ca2 = 0;
        for (int b = 0; b < B; b++) {
            double dxh = dy[(size_t)b * n + j] * g, xm = x[(size_t)b * n + j] - mu;
            double rule = dxh * is + dvar * 2 * xm / B + dmu / B, alt = dxh * is + dmu_alt / B;
            double lib = dx[(size_t)b * n + j];
            b_rule = fmax(b_rule, fabs(lib - rule)), b_alt = fmax(b_alt, fabs(lib - alt));
            s1 += lib, a1 += fabs(lib), s2 += lib * xh[b], a2 += fabs(lib * xh[b]);
            double cst = dxh * is;
            c1 += cst, ca1 += fabs(cst), c2 += cst * xh[b], ca2 += fabs(cst * xh[b]);
        }
        if (a1 > 0) lib_share = fmax(lib_share, fmax(fabs(s1) / a1, a2 > 0 ? fabs(s2) / a2 : 0));
        if (ca1 > 0) const_share = fmax(const_share, fmax(fabs(c1) / ca1, ca2 > 0 ? fabs(c2) / ca2 : 0));
    }
    out[0] = closeness(f_rule, f_alt), out[1] = closeness(b_rule, b_alt), out[2] = closeness(lib_share, const_share);
    free(xh), free(xa);
    nn_net_free(net);
}

/* A bias before batch norm is redundant (seeds 000, 003): the output of a net whose first dense
 * layer has random biases, minus the same net's with those biases at 0 — with batch norm after
 * the layer, over the same difference without batch norm. */
static double check_bias_bn(const settings *s, const nn_real *X, const int *y, int d, int K, uint64_t seed, double *db_share)
{
    double diff[2] = {0, 0};
    int B = s->batch;
    for (int bn = 0; bn < 2; bn++) {
        int nd[8];
        nn_net *net = small_net(d, s->width, K, bn, s->bn_eps, 0, 0, 1, B, seed, nd);
        nn_layer *L = &net->layers[nd[0]];
        nn_rng rng;
        nn_rng_seed(&rng, seed + 17);
        for (int j = 0; j < L->n; j++) L->b[j] = (nn_real)nn_rng_gauss(&rng);
        step_grads(net, X, y, B);
        size_t m = (size_t)B * K;
        double *o = malloc(m * sizeof *o);
        const nn_real *a = nn_net_node_out(net, nd[7]);
        for (size_t i = 0; i < m; i++) o[i] = a[i];
        if (bn) { /* the bias's own gradient, against the weights' */
            double gb = 0, gw = 0;
            for (int j = 0; j < L->n; j++) gb += (double)L->db[j] * L->db[j];
            for (size_t i = 0; i < (size_t)L->n * L->n_in; i++) gw += (double)L->dW[i] * L->dW[i];
            *db_share = gw > 0 ? sqrt(gb / gw) : NAN;
        }
        for (int j = 0; j < L->n; j++) L->b[j] = 0;
        nn_net_forward(net, X, B, NN_TRAIN);
        diff[bn] = max_abs_diff(nn_net_node_out(net, nd[7]), o, m);
        free(o);
        nn_net_free(net);
    }
    return closeness(diff[1], diff[0]);
}

/* Dropout (seed 001): a mask on the layer's input, each unit dropped with probability p and a
 * kept one scaled by 1/(1 − p). out[0]: the dropped fraction's distance from p in binomial
 * standard errors; out[1]: the kept values against input/(1 − p), over the same against input/p. */
static void check_dropout(const settings *s, const nn_real *X, const int *y, int d, int K, uint64_t seed, double out[2])
{
    int nd[8], B = s->batch, n = s->width;
    double p = s->dropout;
    nn_net *net = small_net(d, n, K, 0, s->bn_eps, p, 0, 0, B, seed, nd);
    step_grads(net, X, y, B);
    const nn_real *in = nn_net_node_out(net, nd[2]), *o = nn_net_node_out(net, nd[3]);
    long dropped = 0, units = 0;
    double d_rule = 0, d_alt = 0;
    for (size_t i = 0; i < (size_t)B * n; i++) {
        if (in[i] == 0) continue; /* a sigmoid is never exactly 0, but stay safe */
        units++;
        if (o[i] == 0) { dropped++; continue; }
        d_rule = fmax(d_rule, fabs(o[i] - in[i] / (1 - p))), d_alt = fmax(d_alt, fabs(o[i] - in[i] / p));
    }
    out[0] = units > 0 ? fabs((double)dropped / units - p) / sqrt(p * (1 - p) / units) : NAN;
    out[1] = closeness(d_rule, d_alt);
    nn_net_free(net);
}

/* Momentum (seed 004): v ← αv − ε∇L, θ ← θ + v, so Δθ_t = αΔθ_{t−1} − εg_t; the alternative is the
 * Nesterov form the library also offers, Δθ_t = α(αΔθ_{t−1} − εg_t) − εg_t. Three steps on three
 * mini-batches; the second and third are compared. */
static double check_momentum(const settings *s, const nn_real *X, const int *y, int d, int K, uint64_t seed)
{
    int nd[8], B = s->batch;
    nn_net *net = small_net(d, s->width, K, 0, s->bn_eps, 0, 0, 0, B, seed, nd);
    nn_optim o = {.kind = NN_OPT_MOMENTUM, .lr = s->lr, .momentum = s->momentum};
    nn_optim_init(&o, net);
    size_t P = net->n_params;
    double *prev = calloc(P, sizeof *prev), *th = malloc(P * sizeof *th), *g = malloc(P * sizeof *g);
    double d_rule = 0, d_alt = 0, al = s->momentum, ep = s->lr;
    for (int t = 0; t < 3; t++) {
        step_grads(net, X + (size_t)t * B * d, y + (size_t)t * B, B);
        for (size_t i = 0; i < P; i++) th[i] = net->params[i], g[i] = net->grads[i];
        nn_optim_step(&o, net, ep);
        for (size_t i = 0; i < P; i++) {
            double dth = (double)net->params[i] - th[i];
            if (t > 0) {
                double rule = al * prev[i] - ep * g[i], alt = al * (al * prev[i] - ep * g[i]) - ep * g[i];
                d_rule = fmax(d_rule, fabs(dth - rule)), d_alt = fmax(d_alt, fabs(dth - alt));
            }
            prev[i] = dth;
        }
    }
    free(prev), free(th), free(g);
    nn_optim_free(&o);
    nn_net_free(net);
    return closeness(d_rule, d_alt);
}

/* Convolution and max pooling (seed 004) on a conv(4 maps, 5×5) → max pool 2×2 → dense net:
 * out[0] the conv output and ∂C/∂W against direct sums of the cross-correlation (the library's and
 * every framework's "convolution"), over the same with the kernel flipped (the textbook convolution);
 * out[1] the share of the pool's input gradient (|·| summed) that is not at a window's first maximum
 * (average pooling would leave 3/4 elsewhere). */
static void check_conv(const settings *s, const nn_real *X, const int *y, int c, int h, int w, int K, uint64_t seed,
                       double out[2])
{
    int B = s->batch;
    nn_net *net = nn_net_new(c * h * w);
    nn_net_input_shape(net, c, h, w);
    int cv = nn_net_conv(net, 4, 5, 1, 0, init_of(NN_INIT_NORMAL_FANIN), init_of(NN_INIT_ZERO));
    int pl = nn_net_maxpool(net, 2, 2);
    nn_net_act(net, NN_RELU);
    nn_net_dense(net, K, 1, init_of(NN_INIT_NORMAL_FANIN), init_of(NN_INIT_ZERO));
    nn_net_act(net, NN_SOFTMAX);
    nn_net_output(net, NN_LOSS_SOFTMAX_CE, 1.0);
    nn_exp_finalize(net, B, seed);
    step_grads(net, X, y, B);
    const nn_layer *L = &net->layers[cv];
    const nn_conv_shape *cs = &L->conv;
    const nn_real *z = nn_net_node_out(net, cv), *dz = nn_net_node_dout(net, cv);
    int k = cs->k, ho = cs->ho, wo = cs->wo, kk = k * k, csz = ho * wo;
    double f_rule = 0, f_alt = 0, g_rule = 0, g_alt = 0;
    for (int o = 0; o < cs->co; o++)
        for (int ci = 0; ci < cs->ci; ci++)
            for (int u = 0; u < k; u++)
                for (int v = 0; v < k; v++) {
                    double r = 0, q = 0; /* ∂C/∂W[o,ci,u,v] and the flipped kernel's */
                    for (int b = 0; b < B; b++)
                        for (int i = 0; i < ho; i++)
                            for (int j = 0; j < wo; j++) {
                                const nn_real *xb = X + (size_t)b * c * h * w + (size_t)ci * h * w;
                                double g = dz[(size_t)b * L->n + (size_t)o * csz + i * wo + j];
                                r += g * xb[(i + u) * w + (j + v)];
                                q += g * xb[(i + k - 1 - u) * w + (j + k - 1 - v)];
                            }
                    double lib = L->dW[(size_t)o * cs->ci * kk + ci * kk + u * k + v];
                    g_rule = fmax(g_rule, fabs(lib - r)), g_alt = fmax(g_alt, fabs(lib - q));
                }
    for (int b = 0; b < B; b++)
        for (int o = 0; o < cs->co; o++)
            for (int i = 0; i < ho; i++)
                for (int j = 0; j < wo; j++) {
                    double r = L->b[o], q = L->b[o];
                    for (int ci = 0; ci < cs->ci; ci++)
                        for (int u = 0; u < k; u++)
                            for (int v = 0; v < k; v++) {
                                double x = X[(size_t)b * c * h * w + (size_t)ci * h * w + (i + u) * w + (j + v)];
                                r += L->W[(size_t)o * cs->ci * kk + ci * kk + u * k + v] * x;
                                q += L->W[(size_t)o * cs->ci * kk + ci * kk + (k - 1 - u) * k + (k - 1 - v)] * x;
                            }
                    double lib = z[(size_t)b * L->n + (size_t)o * csz + i * wo + j];
                    f_rule = fmax(f_rule, fabs(lib - r)), f_alt = fmax(f_alt, fabs(lib - q));
                }
    out[0] = fmax(closeness(f_rule, f_alt), closeness(g_rule, g_alt));
    /* pooling: windows 2×2, stride 2, over the conv maps */
    const nn_pool_shape *ps = &net->layers[pl].pool;
    double at_max = 0, total = 0;
    for (int b = 0; b < B; b++)
        for (int ch = 0; ch < ps->c; ch++)
            for (int i = 0; i < ps->ho; i++)
                for (int j = 0; j < ps->wo; j++) {
                    size_t best = 0;
                    double bv = -INFINITY;
                    for (int u = 0; u < ps->q; u++)
                        for (int v = 0; v < ps->q; v++) {
                            size_t at = (size_t)b * L->n + (size_t)ch * csz + (size_t)(i * ps->stride + u) * wo +
                                        (size_t)(j * ps->stride + v);
                            if (z[at] > bv) bv = z[at], best = at;
                            total += fabs(dz[at]);
                        }
                    at_max += fabs(dz[best]);
                }
    out[1] = total > 0 ? 1 - at_max / total : NAN;
    nn_net_free(net);
}

/* Seed 002's linear chain ŷ = x·w1⋯w_{l−1}·w_l with one unit per layer: with batch norm before the
 * last weight, the lower weights lose every effect. ∂C/∂w of the lower weights (largest) over the last
 * weight's, with batch norm, over the same ratio without it. x ~ N(0, 1), target 3x + noise; lower weights
 * of magnitude 0.5–2 with random signs. */
static double check_chain(const settings *s, uint64_t seed)
{
    int B = s->batch, L = s->chain;
    nn_real *x = malloc((size_t)B * sizeof *x);
    nn_rng rng;
    nn_rng_seed(&rng, seed + 101);
    for (int b = 0; b < B; b++) x[b] = (nn_real)nn_rng_gauss(&rng);
    double share[2];
    for (int bn = 0; bn < 2; bn++) {
        nn_net *net = nn_net_new(1);
        int lower[64];
        for (int l = 0; l < L - 1; l++)
            lower[l] = nn_net_dense(net, 1, 0, (nn_init){NN_INIT_UNIFORM, 1.0}, init_of(NN_INIT_ZERO));
        if (bn) nn_net_batchnorm(net, s->bn_eps, 0.1);
        int top = nn_net_dense(net, 1, 0, (nn_init){NN_INIT_UNIFORM, 1.0}, init_of(NN_INIT_ZERO));
        nn_net_act(net, NN_LINEAR);
        nn_net_output(net, NN_LOSS_QUADRATIC, 1.0);
        nn_exp_finalize(net, B, seed);
        /* lower weights of magnitude 0.5 to 2, random sign: the chain's scale stays far above √ε (at a
         * scale near √ε, ε itself would make the output depend on the lower weights) */
        for (int l = 0; l < L - 1; l++) {
            double m = 0.5 + 1.5 * nn_rng_uniform(&rng);
            net->layers[lower[l]].W[0] = (nn_real)(nn_rng_uniform(&rng) < 0.5 ? -m : m);
        }
        nn_net_forward(net, x, B, NN_TRAIN);
        for (int b = 0; b < B; b++) net->Y[b] = (nn_real)(3 * x[b] + 0.1 * nn_rng_gauss(&rng));
        nn_net_loss(net, net->Y, 1);
        nn_net_zero_grad(net);
        nn_net_backward(net);
        double gl = 0;
        for (int l = 0; l < L - 1; l++) gl = fmax(gl, fabs(net->layers[lower[l]].dW[0]));
        double gt = fabs(net->layers[top].dW[0]);
        share[bn] = gt > 0 ? gl / gt : NAN;
        nn_net_free(net);
    }
    free(x);
    return closeness(share[1], share[0]);
}

/* Seed 002's ŷ = x·w₁⋯w_l without batch norm: one gradient step on every layer at once changes ŷ by the sum of
 * the layers' separate effects (the first-order prediction) plus terms of second and higher order in η, the
 * products of several layers' updates. The size of those interaction terms relative to the first-order
 * change, log10 of: max over the batch |Δŷ(all at once) − Σ_i Δŷ(layer i alone)| / max |Σ_i Δŷ(layer i alone)|. */
static double check_interaction(const settings *s, uint64_t seed)
{
    int B = s->batch, L = s->chain;
    nn_real *x = malloc((size_t)B * sizeof *x);
    double *y0 = malloc((size_t)B * sizeof *y0), *first = calloc((size_t)B, sizeof *first);
    nn_rng rng;
    nn_rng_seed(&rng, seed + 202);
    for (int b = 0; b < B; b++) x[b] = (nn_real)nn_rng_gauss(&rng);
    nn_net *net = nn_net_new(1);
    int lay[64];
    for (int l = 0; l < L; l++) lay[l] = nn_net_dense(net, 1, 0, (nn_init){NN_INIT_UNIFORM, 1.0}, init_of(NN_INIT_ZERO));
    int out = nn_net_act(net, NN_LINEAR);
    nn_net_output(net, NN_LOSS_QUADRATIC, 1.0);
    nn_exp_finalize(net, B, seed);
    for (int l = 0; l < L; l++) { /* weights of magnitude 0.5 to 2, as in the chain check */
        double m = 0.5 + 1.5 * nn_rng_uniform(&rng);
        net->layers[lay[l]].W[0] = (nn_real)(nn_rng_uniform(&rng) < 0.5 ? -m : m);
    }
    nn_net_forward(net, x, B, NN_TRAIN);
    for (int b = 0; b < B; b++) net->Y[b] = (nn_real)(3 * x[b]), y0[b] = nn_net_node_out(net, out)[b];
    nn_net_loss(net, net->Y, 1);
    nn_net_zero_grad(net);
    nn_net_backward(net);
    double w[64], g[64];
    for (int l = 0; l < L; l++) w[l] = net->layers[lay[l]].W[0], g[l] = net->layers[lay[l]].dW[0];
    for (int l = 0; l < L; l++) { /* layer l alone */
        net->layers[lay[l]].W[0] = (nn_real)(w[l] - s->lr * g[l]);
        nn_net_forward(net, x, B, NN_TRAIN);
        for (int b = 0; b < B; b++) first[b] += nn_net_node_out(net, out)[b] - y0[b];
        net->layers[lay[l]].W[0] = (nn_real)w[l];
    }
    for (int l = 0; l < L; l++) net->layers[lay[l]].W[0] = (nn_real)(w[l] - s->lr * g[l]);
    nn_net_forward(net, x, B, NN_TRAIN);
    double d = 0, f = 0;
    for (int b = 0; b < B; b++) {
        double joint = nn_net_node_out(net, out)[b] - y0[b];
        d = fmax(d, fabs(joint - first[b])), f = fmax(f, fabs(first[b]));
    }
    nn_net_free(net);
    free(x), free(y0), free(first);
    return f > 0 && d > 0 ? log10(d / f) : NAN;
}

/* ---- the program ---------------------------------------------------------------------- */

enum { C_L2, C_CE, C_QUAD, C_BACKPROP, C_BN_FWD, C_BN_BWD, C_BN_SHIFT, C_BIAS_BN, C_DROP_P, C_DROP_SCALE, C_MOMENTUM,
       C_CONV, C_POOL, C_CHAIN, C_INTERACT, N_CHECKS };

/* Every check is an identity (lectures/claim-rubric.md): it recomputes what the library computes from the
 * formula the lecture prints, so it can only fail through a bug (or, for the dropout rate, chance), and it
 * never counts as evidence for a lecture. The last, the layers' interacting updates, is algebra too: its size
 * is set by the rate and the chain this program chooses. */
static const struct {
    nn_claim_kind kind;
    const char *group; /* the condition's group: the formula's family */
    const char *id, *statement, *source, *alternative;
    const char *quantity; /* NULL: max |library − formula| / max |library − alternative| */
} checks[N_CHECKS] = {
    {NN_IDENTITY, "update", "l2-step-decays",
     "With L2 decay a plain gradient step is θ ← (1 − ηλ)θ − η∇L on the weights: they shrink", "seed 000 (L2), seed 001:411-419",
     "seed 001's printed (1 + ηλ)θ − η∇L", NULL},
    {NN_IDENTITY, "output-error", "softmax-ce-delta",
     "With a softmax output and cross-entropy the output error is ∂C/∂z = (ŷ − y)/B, without a σ′ factor",
     "seed 000:27-32, seed 004:504-554", "(ŷ − y)·ŷ(1 − ŷ)/B, the quadratic cost's form", NULL},
    {NN_IDENTITY, "output-error", "quadratic-delta-has-sigma-prime",
     "With a sigmoid output and the quadratic cost the output error carries σ′: (a − y)σ′(z)/B", "seed 004:504-554",
     "(a − y)/B, the cross-entropy form", NULL},
    {NN_IDENTITY, "backprop", "backprop-recursion", "Backpropagation: δˡ = f′(zˡ) ∘ (Wˡ⁺¹)ᵀδˡ⁺¹ and ∂C/∂Wˡ = Σ_b δˡ (aˡ⁻¹)ᵀ",
     "seed 001:44-62,79-91, seed 004:141-179", "the recursion without the f′ factor", NULL},
    {NN_IDENTITY, "batchnorm", "bn-forward-batch-stats",
     "Batch norm normalizes with the mini-batch mean and the 1/B variance: x̂ = (x − μ)/√(σ² + ε)",
     "seed 003:235-253, seed 004:1404-1412", "the 1/(B − 1) variance", NULL},
    {NN_IDENTITY, "batchnorm", "bn-backward-formulas",
     "Batch norm's backward pass is seed 004's formulas: through ∂ℓ/∂x̂, ∂ℓ/∂σ² and ∂ℓ/∂μ", "seed 003:273, seed 004:1450-1527",
     "the same without the ∂ℓ/∂σ² term", NULL},
    {NN_IDENTITY, "batchnorm", "bn-gradient-never-shifts",
     "Backpropagating through μ and σ, the gradient reaching a normalized unit has no component that "
     "only shifts its mean or scales it: per unit Σ_b g_b = 0 and Σ_b g_b x̂_b = 0",
     "seed 002:190-192", "the gradient with μ and σ held constant",
     "largest per-unit |Σ_b g_b| / Σ_b |g_b| or |Σ_b g_b x̂_b| / Σ_b |g_b x̂_b| of the library's gradient, over the same "
     "for the gradient with μ and σ held constant"},
    {NN_IDENTITY, "batchnorm", "bias-before-bn-redundant",
     "A bias before batch norm is redundant: random biases on the normalized layer leave the output "
     "unchanged",
     "seed 000:173-175, seed 003:285", "the same net without batch norm",
     "max |change of the output| when the first layer's random biases are set to 0, with batch norm after the layer, "
     "over the same without batch norm"},
    {NN_IDENTITY, "dropout", "dropout-drops-p",
     "Dropout drops each unit with probability p: the dropped fraction of a mini-batch is within 4 binomial "
     "standard errors of p",
     "seed 001:445-456", NULL, NULL},
    {NN_IDENTITY, "dropout", "dropout-scales-kept",
     "Dropout scales a kept unit by 1/(1 − p), so the layer's expected output equals its input", "seed 001:445-456",
     "scaling by 1/p", NULL},
    {NN_IDENTITY, "update", "momentum-rule", "Momentum: v ← αv − ε∇L, θ ← θ + v, so each step is α times the last one minus ε∇L",
     "seed 004:1336-1353", "Nesterov's step α(αv − ε∇L) − ε∇L", NULL},
    {NN_IDENTITY, "conv", "conv-is-cross-correlation",
     "A convolution layer's output and its weight gradient are the sums y = Σ W[u,v]·x[i+u, j+v] and "
     "∂C/∂W[u,v] = Σ δ[i,j]·x[i+u, j+v]",
     "seed 004:223-251", "the flipped kernel (the textbook convolution)", NULL},
    {NN_IDENTITY, "conv", "maxpool-routes-to-max",
     "Max pooling sends each window's gradient to its maximum only: under 1 % of the gradient mass reaches "
     "other inputs",
     "seed 004:8,29-31", NULL, NULL},
    {NN_IDENTITY, "chain", "linear-chain-bn-lower-useless",
     "In the linear chain ŷ = x·w₁⋯w_l with batch norm before the last weight, the lower weights "
     "get no gradient: the output no longer depends on them",
     "seed 002:199-223", "the same chain without batch norm",
     "largest |∂C/∂w| of a lower weight over |∂C/∂w_l|, with batch norm, over the same ratio without batch norm"},
    {NN_IDENTITY, "chain", "layer-updates-interact",
     "In the chain ŷ = x·w₁⋯w_l (no batch norm), one gradient step on every layer at once changes ŷ by "
     "more than the sum of the layers' separate effects: the products of several updates (second and higher order in η) add "
     "more than 1 % of the first-order change",
     "seed 002:99-157", NULL,
     "log10 of max |Δŷ (every layer updated) − Σ_i Δŷ (layer i updated alone)| / max |Σ_i Δŷ (layer i alone)|"},
};

typedef struct context {
    const nn_dataset *tr;
    int ic, ih, iw;                /* the images' shape (conv and pooling) */
    const char *const *why;        /* per check: why it is not measured, or NULL */
} context;

/* One check on seed r's mini-batches: three consecutive blocks of B samples, different per seed. A check that
 * computes several values with one net (batch norm's three, dropout's two, conv and pooling) computes them all
 * and keeps its own. */
static int cell(nn_exp *e, const nn_cell *c, void *ctx)
{
    const settings *s = c->set;
    const context *x = ctx;
    const nn_dataset *tr = x->tr;
    const int k = s->check, B = s->batch, d = tr->d, K = tr->n_classes;
    if (x->why[k]) return 0; /* the two formulas coincide under these settings: nothing to measure */
    const size_t start = ((size_t)c->r * 3 * B) % (size_t)(tr->n - 3 * B + 1);
    const nn_real *X = tr->X + start * d;
    const int *y = tr->y + start;
    double v[3] = {NAN, NAN, NAN}, db_share = NAN;
    switch (k) {
    case C_L2: v[0] = check_l2(s, X, y, d, K, c->seed); break;
    case C_CE: case C_QUAD: v[0] = check_delta(s, X, y, d, K, c->seed, k == C_QUAD); break;
    case C_BACKPROP: v[0] = check_backprop(s, X, y, d, K, c->seed); break;
    case C_BN_FWD: case C_BN_BWD: case C_BN_SHIFT: check_bn(s, X, y, d, K, c->seed, v), v[0] = v[k - C_BN_FWD]; break;
    case C_BIAS_BN:
        v[0] = check_bias_bn(s, X, y, d, K, c->seed, &db_share);
        /* the bias's own gradient, against the weights', with batch norm after the layer */
        nn_measure(e, c, "bias_before_bn_grad_over_weight_grad", db_share);
        break;
    case C_DROP_P: case C_DROP_SCALE: check_dropout(s, X, y, d, K, c->seed, v), v[0] = v[k - C_DROP_P]; break;
    case C_MOMENTUM: v[0] = check_momentum(s, X, y, d, K, c->seed); break;
    case C_CONV: case C_POOL: check_conv(s, X, y, x->ic, x->ih, x->iw, K, c->seed, v), v[0] = v[k - C_CONV]; break;
    case C_CHAIN: v[0] = check_chain(s, c->seed); break;
    default: v[0] = check_interaction(s, c->seed); break;
    }
    nn_measure(e, c, "value", v[0]);                     /* the claim's quantity */
    nn_measure(e, c, "first_sample", (double)start);     /* where the seed's mini-batches start */
    return 0;
}

static int run(nn_exp *e, void *set)
{
    settings *s = set;
    int rc;
    const nn_dataset *tr = &e->data.train;
    const int S = e->S, B = s->batch;
    if (tr->n < 3 * B)
        return nn_exp_fail(e, 2, "the checks need 3 mini-batches of %d training samples; n_train gives %d (set n_train >= %d "
                               "or a smaller batch)", B, tr->n, 3 * B);
    context x = {.tr = tr};
    nn_exp_input_shape(tr, &x.ic, &x.ih, &x.iw);
    int images = x.ih >= 5 && x.iw >= 5 && (x.ih - 4) % 2 == 0 && (x.iw - 4) % 2 == 0;
    /* settings under which a check's two formulas coincide */
    const char *why[N_CHECKS] = {0};
    if (s->l2 == 0) why[C_L2] = "l2 = 0: (1 − ηλ) and (1 + ηλ) coincide";
    if (s->dropout == 0) why[C_DROP_P] = why[C_DROP_SCALE] = "dropout = 0: nothing is dropped";
    else if (fabs(s->dropout - 0.5) < 0.05) why[C_DROP_SCALE] = "dropout within 0.05 of 0.5: 1/p and 1/(1 − p) nearly coincide";
    if (s->momentum == 0) why[C_MOMENTUM] = "momentum = 0: the momentum and Nesterov steps coincide";
    if (!images) why[C_CONV] = why[C_POOL] = "the data are not images a 5×5 kernel and 2×2 pooling fit";
    x.why = why;
    for (int c = 0; c < N_CHECKS; c++) {
        settings cs = *s;
        cs.check = c;
        nn_grid_condition(e, checks[c].id, NULL, &cs, checks[c].group, c);
    }
    if ((rc = nn_grid_run(e, cell, &x)) >= 0) return rc;

    const char *cols[] = {"check", "lecture formula", "alternative", "ratio (mean over seeds)", "verdict"};
    cJSON *table = nn_exp_table(e, nn_exp_str(e, "Distance of the library's values from the lecture's formula over their "
                                                   "distance from a wrong one (max |·| over a mini-batch of %d, %d seeds)", B, S),
                                5, cols);
    for (int c = 0; c < N_CHECKS; c++) {
        nn_claim cl = {.kind = checks[c].kind, .id = checks[c].id, .statement = checks[c].statement, .source = checks[c].source,
                       .unmeasured = why[c]};
        if (c == C_DROP_P) {
            cl.statement = nn_exp_str(e, "%s (p = %g)", checks[c].statement, s->dropout);
            cl.quantity = "|dropped fraction − p| / √(p(1 − p)/units), units of a mini-batch";
            cl.op = "<", cl.threshold = 4;
            cl.rule_note = "4 standard errors: a correct mask fails this about once in 16,000 mini-batches";
        } else if (c == C_INTERACT) {
            cl.statement = nn_exp_str(e, "%s (η = %g, %d layers)", checks[c].statement, s->lr, s->chain);
            cl.quantity = checks[c].quantity;
            cl.op = ">", cl.threshold = -2;
            cl.rule_note = "On a log scale (the share spans decades from seed to seed); −2 is 1 %. The interaction terms grow "
                           "with η: at a small enough rate each layer's update can be chosen as if "
                           "the others stood still, and the claim fails.";
        } else if (c == C_POOL) {
            cl.quantity = "share of |∂C/∂input| of the pool not at a window's first maximum";
            cl.op = "<", cl.threshold = 0.01;
            cl.rule_note = "average pooling would give 0.75, a correct max pooling 0";
        } else {
            cl.quantity = checks[c].quantity ? checks[c].quantity
                                             : nn_exp_str(e, "max |library − lecture formula| / max |library − %s|",
                                                          checks[c].alternative);
            cl.op = "<", cl.threshold = 0.01;
            cl.rule_note = "held: the library's values are at least 100 times closer to the lecture's formula than to the "
                           "alternative; rounding alone leaves ratios near 1e-6 in single precision";
        }
        nn_verdict vd = nn_exp_claim_seeds(e, &cl, why[c] ? NULL : nn_grid_values(e, c, "value"));
        double m = NAN, sd;
        if (!why[c]) nn_grid_mean_std(e, c, "value", &m, &sd);
        char ms[48];
        snprintf(ms, sizeof ms, why[c] ? "not measured" : "%.3g", m);
        nn_exp_row(table, "sssss", checks[c].id, checks[c].statement, checks[c].alternative ? checks[c].alternative : "—", ms,
                   nn_verdict_name(vd));
        /* the figure's bar: log10 of the mean ratio (a mean of 0 drawn at −12) */
        if (!why[c] && c != C_DROP_P && c != C_INTERACT)
            nn_grid_derived(e, nn_exp_str(e, "log10_mean.%s", checks[c].id), m > 0 ? log10(m) : -12);
    }
    return -1;
}

int main(int argc, char **argv) { return nn_exp_main(&def, run, argc, argv); }
