/* nn_act.h — activation functions: one table, forward and backward side by side.
 *
 * Every activation here except softmax is element-wise, and its derivative is written
 * in terms of the output a = f(z), so backward needs only the cached output:
 *   linear   a = z                     f'(z) = 1
 *   sigmoid  a = 1 / (1 + e^-z)        f'(z) = a (1 - a)       (at most 1/4)
 *   tanh     a = tanh z                f'(z) = 1 - a^2
 *   relu     a = max(0, z)             f'(z) = [a > 0]
 *   softmax  a_k = e^{z_k} / Σ_j e^{z_j} (per row)
 *            ∂L/∂z_k = a_k (∂L/∂a_k - Σ_j a_j ∂L/∂a_j)
 * Adding an activation: one enum value, one row in the name table, one case in each of
 * nn_act_forward / nn_act_backward / nn_act_saturated (nn_act.c).
 */
#ifndef NN_ACT_H
#define NN_ACT_H

#include "nn_common.h"

typedef enum { NN_LINEAR, NN_SIGMOID, NN_TANH, NN_RELU, NN_SOFTMAX, NN_ACT_COUNT } nn_act;

const char *nn_act_name(nn_act a);
int nn_act_parse(const char *name, nn_act *out); /* 0, or -1 with a message listing the names */
extern const char *const nn_act_names[];         /* NULL-terminated, for config choices */

/* a = f(z); z and a are (B, n) and may not alias. */
void nn_act_forward(nn_act f, nn_real *restrict a, const nn_real *restrict z, int B, int n);
/* dz += f'(z) ⊙ da (softmax: the row Jacobian); a is the forward output; no two alias. */
void nn_act_backward(nn_act f, nn_real *restrict dz, const nn_real *restrict da, const nn_real *restrict a, int B, int n);
/* 1 if the output value a counts as saturated: sigmoid outside [0.01, 0.99],
 * tanh |a| > 0.99, relu a = 0 (a dead unit for this input); never for linear/softmax. */
int nn_act_saturated(nn_act f, double a);

#endif
