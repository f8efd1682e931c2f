/* nn_dense.h — the fully connected layer: z = x Wᵀ + b.
 *
 * Shapes: x is (B, n_in), W is (n_out, n_in) row-major (row j = unit j's incoming
 * weights), b is (n_out), z is (B, n_out). Forward and backward are GEMMs through
 * OpenBLAS. Backward ADDS into dx, dW and db (the caller zeroes them), so one tensor
 * may feed several consumers:
 *   ∂L/∂W += (∂L/∂z)ᵀ x        ∂L/∂b += Σ_rows ∂L/∂z        ∂L/∂x += (∂L/∂z) W
 * The *_ref functions are naive triple loops kept beside the BLAS ones; the tests hold
 * the two against each other.
 */
#ifndef NN_DENSE_H
#define NN_DENSE_H

#include "nn_common.h"

void nn_dense_forward(nn_real *z, const nn_real *x, const nn_real *W, const nn_real *b, int B, int n_in,
                      int n_out);
/* dx and db may be NULL (network input; a layer without bias). */
void nn_dense_backward(nn_real *dx, nn_real *dW, nn_real *db, const nn_real *dz, const nn_real *x,
                       const nn_real *W, int B, int n_in, int n_out);

void nn_dense_forward_ref(nn_real *z, const nn_real *x, const nn_real *W, const nn_real *b, int B, int n_in,
                          int n_out);
void nn_dense_backward_ref(nn_real *dx, nn_real *dW, nn_real *db, const nn_real *dz, const nn_real *x,
                           const nn_real *W, int B, int n_in, int n_out);

#endif
