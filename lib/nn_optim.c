/* nn_optim.c — SGD, momentum, Nesterov, L2, clipping, schedules (see nn_optim.h). */
#include "nn_optim.h"

#include <math.h>
#include <string.h>

const char *const nn_opt_names[] = {"sgd", "momentum", "nesterov", "adam", NULL};
const char *const nn_sched_names[] = {"constant", "step", NULL};

static int parse_name(const char *const *names, const char *name, int *out)
{
    for (int i = 0; names[i]; i++)
        if (strcmp(names[i], name) == 0) {
            *out = i;
            return 0;
        }
    return -1;
}

int nn_opt_parse(const char *name, nn_opt_kind *out)
{
    int i;
    if (parse_name(nn_opt_names, name, &i))
        return nn_fail("unknown optimizer '%s' (expected sgd, momentum, nesterov or adam)", name);
    *out = (nn_opt_kind)i;
    return 0;
}

int nn_sched_parse(const char *name, nn_sched_kind *out)
{
    int i;
    if (parse_name(nn_sched_names, name, &i))
        return nn_fail("unknown learning-rate schedule '%s' (expected constant or step)", name);
    *out = (nn_sched_kind)i;
    return 0;
}

void nn_optim_init(nn_optim *opt, const nn_net *net)
{
    free(opt->v), free(opt->s);
    opt->n = net->n_params;
    opt->v = nn_calloc(opt->n, sizeof(nn_real));
    opt->s = opt->kind == NN_OPT_ADAM ? nn_calloc(opt->n, sizeof(nn_real)) : NULL;
    opt->t = 0;
    opt->last_grad_norm = 0;
    opt->last_clipped = 0;
}

void nn_optim_free(nn_optim *opt)
{
    free(opt->v), free(opt->s);
    opt->v = opt->s = NULL;
    opt->n = 0;
}

void nn_optim_reset(nn_optim *opt)
{
    if (opt->v) memset(opt->v, 0, opt->n * sizeof(nn_real));
    if (opt->s) memset(opt->s, 0, opt->n * sizeof(nn_real));
    opt->t = 0;
}

double nn_optim_lr_at(const nn_optim *opt, int epoch)
{
    if (opt->sched == NN_SCHED_STEP && opt->step_epochs > 0)
        return opt->lr * pow(opt->gamma, epoch / opt->step_epochs);
    return opt->lr;
}

double nn_grad_norm(const nn_net *net)
{
    NN_ASSERT(!net->grads_stale, "nn_grad_norm after nn_net_zero_grad without a backward: nn_net_settle_grads first");
    double s = 0;
    for (size_t k = 0; k < net->n_params; k++) s += (double)net->grads[k] * net->grads[k];
    return sqrt(s);
}

/* Adaptive gradient clipping (Brock et al. 2021): per unit (a row of W), ‖G_i‖ ≤ λ · max(‖W_i‖, 10⁻³). */
static void clip_adaptive(nn_optim *opt, nn_net *net)
{
    const int out_dense = net->n_outputs > 0 ? net->layers[net->outputs[0].node].in : -1;
    for (int i = 0; i < net->n_layers; i++) {
        const nn_layer *L = &net->layers[i];
        if ((L->kind != NN_L_DENSE && L->kind != NN_L_CONV) || i == out_dense) continue;
        const int rows = L->kind == NN_L_DENSE ? L->n : L->conv.co;
        const size_t cols = L->kind == NN_L_DENSE ? (size_t)L->n_in : (size_t)L->conv.ci * L->conv.k * L->conv.k;
        for (int r = 0; r < rows; r++) {
            const nn_real *w = L->W + r * cols;
            nn_real *g = L->dW + r * cols;
            double wn = 0, gn = 0;
            for (size_t k = 0; k < cols; k++) wn += (double)w[k] * w[k], gn += (double)g[k] * g[k];
            const double cap = opt->clip_agc * fmax(sqrt(wn), 1e-3);
            gn = sqrt(gn);
            if (gn > cap) {
                const nn_real s = (nn_real)(cap / gn);
                for (size_t k = 0; k < cols; k++) g[k] *= s;
                opt->last_clipped = 1;
            }
        }
    }
}

int nn_optim_step(nn_optim *opt, nn_net *net, double lr)
{
    NN_ASSERT(opt->v && opt->n == net->n_params, "nn_optim_init with this network first");
    nn_net_settle_grads(net); /* a zero_grad with no backward since: a step on zero gradients */
    nn_real *restrict th = net->params, *restrict g = net->grads, *restrict v = opt->v;
    const size_t n = net->n_params;

    nn_net_add_l2_grad(net, opt->l2);                       /* 1. g += λ w */

    /* 2. clipping; the norm costs a serial pass, so it is taken only when needed */
    opt->last_grad_norm = (opt->clip_norm > 0 || opt->track_norm) ? nn_grad_norm(net) : NAN;
    opt->last_clipped = 0;
    if (opt->clip_norm > 0 && opt->last_grad_norm > opt->clip_norm) {
        nn_real s = (nn_real)(opt->clip_norm / opt->last_grad_norm);
        for (size_t k = 0; k < n; k++) g[k] *= s;
        opt->last_clipped = 1;
    }
    if (opt->clip_value > 0) {
        nn_real c = (nn_real)opt->clip_value;
        for (size_t k = 0; k < n; k++) {
            if (g[k] > c) g[k] = c, opt->last_clipped = 1;
            else if (g[k] < -c) g[k] = -c, opt->last_clipped = 1;
        }
    }

    if (opt->clip_agc > 0) clip_adaptive(opt, net);

    /* 3. the update; each loop also notes whether a parameter became NaN/±Inf (one pass, not two) */
    const nn_real eps = (nn_real)lr, a = (nn_real)opt->momentum;
    int bad = 0;
    switch (opt->kind) {
    case NN_OPT_SGD:
        for (size_t k = 0; k < n; k++) {
            th[k] -= eps * g[k];
            bad |= nn_nonfinite(th[k]);
        }
        break;
    case NN_OPT_MOMENTUM:
        for (size_t k = 0; k < n; k++) {
            v[k] = a * v[k] - eps * g[k];   /* v ← αv − ε∇L */
            th[k] += v[k];                  /* θ ← θ + v */
            bad |= nn_nonfinite(th[k]);
        }
        break;
    case NN_OPT_NESTEROV:
        for (size_t k = 0; k < n; k++) {
            v[k] = a * v[k] - eps * g[k];   /* v ← αv − ε∇L(φ) */
            th[k] += a * v[k] - eps * g[k]; /* φ ← φ + αv − ε∇L(φ) */
            bad |= nn_nonfinite(th[k]);
        }
        break;
    case NN_OPT_ADAM: {
        NN_ASSERT(opt->s, "nn_optim_init with kind adam first");
        const double b1 = opt->beta1 > 0 ? opt->beta1 : 0.9, b2 = opt->beta2 > 0 ? opt->beta2 : 0.999,
                     de = opt->adam_eps > 0 ? opt->adam_eps : 1e-8;
        opt->t++;
        const double c1 = 1 - pow(b1, (double)opt->t), c2 = 1 - pow(b2, (double)opt->t);
        nn_real *restrict s2 = opt->s;
        for (size_t k = 0; k < n; k++) {
            v[k] = (nn_real)(b1 * v[k] + (1 - b1) * g[k]);           /* m ← β₁m + (1 − β₁)g */
            s2[k] = (nn_real)(b2 * s2[k] + (1 - b2) * g[k] * g[k]);   /* s ← β₂s + (1 − β₂)g² */
            th[k] -= (nn_real)(lr * (v[k] / c1) / (sqrt(s2[k] / c2) + de)); /* θ ← θ − ε m̂/(√ŝ + δ) */
            bad |= nn_nonfinite(th[k]);
        }
        break;
    }
    default: NN_ASSERT(0, "optimizer %d", (int)opt->kind);
    }
    return bad ? -1 : 0;
}
