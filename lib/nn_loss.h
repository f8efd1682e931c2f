/* nn_loss.h — losses, averaged over the mini-batch (C = (1/B) Σ_rows ℓ).
 *
 *   quadratic   ℓ = ½ ‖a − y‖²                     ∂ℓ/∂a = a − y
 *               (any output activation; backward continues through it, so the
 *                activation's derivative σ'(z) multiplies the error: saturation)
 *   logloss     ℓ = −Σ_k [y_k log a_k + (1 − y_k) log(1 − a_k)],  a = σ(z)
 *               needs a sigmoid output; fused with it:  ∂ℓ/∂z = a − y  (no σ' factor)
 *               value from z for stability: Σ_k softplus(z_k) − y_k z_k
 *   softmax_ce  ℓ = −Σ_k y_k log a_k,  a = softmax(z)
 *               needs a softmax output; fused with it:  ∂ℓ/∂z = a − y
 *               value from z: Σ_k y_k (logsumexp(z) − z_k)
 * y is (B, n): one-hot rows for classification, any targets for quadratic.
 */
#ifndef NN_LOSS_H
#define NN_LOSS_H

#include "nn_act.h"
#include "nn_common.h"

typedef enum { NN_LOSS_QUADRATIC, NN_LOSS_LOGLOSS, NN_LOSS_SOFTMAX_CE, NN_LOSS_COUNT } nn_loss;

extern const char *const nn_loss_names[]; /* NULL-terminated: quadratic, logloss, softmax_ce */
const char *nn_loss_name(nn_loss l);
int nn_loss_parse(const char *name, nn_loss *out);
/* The output activation a loss is fused with (NN_ACT_COUNT: none, works with any). */
nn_act nn_loss_fused_act(nn_loss l);

/* Mean loss over the B rows. When grad is not NULL, adds weight · ∂C/∂(input) into it,
 * where the input is a for quadratic and z (the pre-activation) for the fused losses.
 * z is the output activation's input, a its output. */
double nn_loss_eval(nn_loss l, nn_real *grad, const nn_real *z, const nn_real *a, const nn_real *y, int B,
                    int n, double weight);

#endif
