/* nn_act.h — activation functions: one table, each forward and backward formula side by side.
 *
 * The element-wise activations are the rows of NN_ELEMENTWISE_ACTS below. Each row names
 * three functions in nn_act.c, written next to each other:
 *   act_<name>_f(z)       the output a = f(z)
 *   act_<name>_df(z, a)   the derivative f'(z), from the input z and/or the output a
 *   act_<name>_sat(a)     whether an output counts as saturated (or a dead unit) The enum, the
 * names, the config choices, the error messages, the forward and backward loops and the
 * gradient-check test all come from that list: adding an activation is one row plus its two
 * formulas, and the existing tests check its gradient.
 *
 *   linear      a = z                          f' = 1
 *   sigmoid     a = 1 / (1 + e^-z)             f' = a (1 − a)            (at most 1/4)
 *   tanh        a = tanh z                     f' = 1 − a²
 *   relu        a = max(0, z)                  f' = [z > 0]
 *   leaky_relu  a = z if z > 0, else 0.01 z    f' = 1 if z > 0, else 0.01
 *   gelu        a = z Φ(z), Φ the normal CDF   f' = Φ(z) + z φ(z)        (the exact erf form)
 *
 * softmax (a_k = e^{z_k} / Σ_j e^{z_j} per row, ∂L/∂z_k = a_k (∂L/∂a_k − Σ_j a_j ∂L/∂a_j))
 * is not element-wise and is written out on its own; it is an output activation.
 */
#ifndef NN_ACT_H
#define NN_ACT_H

#include "nn_common.h"

/* X(ENUM_SUFFIX, name) — the element-wise activations, usable as hidden activations */
#define NN_ELEMENTWISE_ACTS(X) \
    X(LINEAR, linear)          \
    X(SIGMOID, sigmoid)        \
    X(TANH, tanh)              \
    X(RELU, relu)              \
    X(LEAKY_RELU, leaky_relu)  \
    X(GELU, gelu)

#define NN_ACT_ENUM_(E, name) NN_##E,
typedef enum { NN_ELEMENTWISE_ACTS(NN_ACT_ENUM_) NN_SOFTMAX, NN_ACT_COUNT } nn_act;
#undef NN_ACT_ENUM_
/* how many element-wise activations there are (they come first: 0 … NN_ACT_N_ELEMENTWISE − 1) */
#define NN_ACT_N_ELEMENTWISE ((int)NN_SOFTMAX)

const char *nn_act_name(nn_act a);
int nn_act_parse(const char *name, nn_act *out); /* 0, or -1 with a message listing the names */
extern const char *const nn_act_names[];         /* NULL-terminated: every activation (config choices for `output`) */
extern const char *const nn_act_hidden_names[];  /* NULL-terminated: the element-wise ones (hidden layers) */

/* a = f(z); z and a are (B, n) and may not alias. */
void nn_act_forward(nn_act f, nn_real *restrict a, const nn_real *restrict z, int B, int n);
/* dz += f'(z) ⊙ da (softmax: the row Jacobian); z is the forward input, a its output; no two alias. */
void nn_act_backward(nn_act f, nn_real *restrict dz, const nn_real *restrict da, const nn_real *restrict z,
                     const nn_real *restrict a, int B, int n);
/* 1 if the output value a counts as saturated: sigmoid outside [0.01, 0.99], tanh |a| > 0.99,
 * relu a = 0 (a dead unit for this input); never for linear, leaky relu, gelu or softmax. */
int nn_act_saturated(nn_act f, double a);

#endif
