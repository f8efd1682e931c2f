/* nn_optim.h — parameter updates, L2 weight decay, gradient clipping, learning-rate schedules.
 *
 * One step, in this order, on the gradient g = ∂L/∂θ that backward left in net->grads:
 *   1. L2 weight decay (weights only): g ← g + λθ, the gradient of (λ/2)‖w‖².
 *      With plain SGD this is θ ← (1 − ηλ)θ − η∇L: the weights decay. (Seed 001's slide
 *      prints the factor as (1 + ηλ); that is a sign slip — it would grow the weights.)
 *   2. clipping: by global norm (g ← g · c/‖g‖ when ‖g‖ > c) and/or by value (each
 *      component clamped to [−c, c]) and/or adaptively per unit (Brock et al. 2021's AGC: each
 *      unit's incoming weight gradient G_i is scaled down to λ · max(‖W_i‖, 10⁻³) when longer;
 *      dense and conv layers, not the main output's layer, as in the paper);
 *   3. the update, with learning rate ε:
 *        sgd        θ ← θ − ε g
 *        momentum   v ← α v − ε g ;  θ ← θ + v                      (seed 004, as written)
 *        nesterov   v ← α v − ε g ;  θ ← θ + α v − ε g
 *        adam       m ← β₁m + (1 − β₁)g ;  s ← β₂s + (1 − β₂)g² ;  t ← t + 1 ;
 *                   θ ← θ − ε m̂ / (√ŝ + δ),  m̂ = m/(1 − β₁ᵗ), ŝ = s/(1 − β₂ᵗ)
 *                   (Kingma & Ba 2015, as torch.optim.Adam: β₁ 0.9, β₂ 0.999, δ 1e-8 by default;
 *                   the example of seed 001 trains with it)
 *      Nesterov's look-ahead form v ← αv − ε∇L(θ + αv), θ ← θ + v, rewritten for the
 *      parameters φ = θ + αv that the network actually holds (so g is taken at φ):
 *      φ ← φ + α v_new − ε g. Velocities start at 0.
 */
#ifndef NN_OPTIM_H
#define NN_OPTIM_H

#include "nn_net.h"

typedef enum { NN_OPT_SGD, NN_OPT_MOMENTUM, NN_OPT_NESTEROV, NN_OPT_ADAM, NN_OPT_COUNT } nn_opt_kind;
extern const char *const nn_opt_names[];     /* sgd, momentum, nesterov, adam */
int nn_opt_parse(const char *name, nn_opt_kind *out);

typedef enum { NN_SCHED_CONSTANT, NN_SCHED_STEP, NN_SCHED_COUNT } nn_sched_kind;
extern const char *const nn_sched_names[];   /* constant, step */
int nn_sched_parse(const char *name, nn_sched_kind *out);

typedef struct nn_optim {
    nn_opt_kind kind;
    double lr;          /* ε at epoch 0 */
    double momentum;    /* α */
    double l2;          /* λ */
    double clip_norm;   /* 0 = off */
    double clip_value;  /* 0 = off */
    double clip_agc;    /* λ of adaptive gradient clipping; 0 = off */
    nn_sched_kind sched;
    int step_epochs;    /* step decay: multiply by gamma every step_epochs epochs */
    double gamma;
    double beta1, beta2, adam_eps; /* Adam; 0 = the defaults 0.9, 0.999, 1e-8 */
    /* state */
    nn_real *v;         /* velocities (Adam: first moments m), mirroring net->params */
    nn_real *s;         /* Adam's second moments, or NULL */
    long t;             /* Adam's step count */
    size_t n;
    int track_norm;     /* 1: always measure last_grad_norm (it is measured anyway when clipping by norm) */
    double last_grad_norm; /* ‖g‖ of the last step, after L2 and before clipping (NaN when not measured) */
    int last_clipped;
} nn_optim;

/* Bind the optimizer to a network (allocates the velocities, zeroed). */
void nn_optim_init(nn_optim *opt, const nn_net *net);
void nn_optim_free(nn_optim *opt);
void nn_optim_reset(nn_optim *opt); /* zero the velocities */
double nn_optim_lr_at(const nn_optim *opt, int epoch);
/* One update of net->params with learning rate lr. Returns 0, or −1 when a parameter
 * became NaN or ±Inf (the caller reports divergence). */
int nn_optim_step(nn_optim *opt, nn_net *net, double lr);
/* Global L2 norm of net->grads. */
double nn_grad_norm(const nn_net *net);

#endif
