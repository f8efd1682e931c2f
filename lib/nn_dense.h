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

#include <cblas.h>

/* Row-major C = α·op(A)·op(B) + β·C through OpenBLAS (M × N result, inner size K): every GEMM of
 * the library goes through here. A product under NN_GEMM_MT_FLOPS floating-point operations runs
 * on one thread whatever the thread count: OpenBLAS splits any product above 262,144 M·N·K across
 * all its threads, and on this machine (2 cores, Haswell kernels) a second thread made the
 * products of setup b slower — 60×100×100 took 15.8 µs on one thread, 30.5 on two; 60×100×784
 * 97 µs and 115 — while from about 16 MFLOP on it paid (128×256×256: 1.52×; c's 256×1024×784:
 * 1.83×). nn-bench's rates at one and two threads are the check. */
#define NN_GEMM_MT_FLOPS 1.2e7
/* The thread count the program runs with (--threads): the GEMMs above NN_GEMM_MT_FLOPS use this
 * many; nn_threads() reports it (OpenBLAS's own count is 1 while small products run). */
void nn_set_threads(int threads);
int nn_threads(void);
void nn_gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int M, int N, int K, nn_real alpha, const nn_real *A, int lda,
             const nn_real *B, int ldb, nn_real beta, nn_real *C, int ldc);

void nn_dense_forward(nn_real *z, const nn_real *x, const nn_real *W, const nn_real *b, int B, int n_in,
                      int n_out);
/* dx and db may be NULL (network input; a layer without bias). */
void nn_dense_backward(nn_real *dx, nn_real *dW, nn_real *db, const nn_real *dz, const nn_real *x,
                       const nn_real *W, int B, int n_in, int n_out);
/* The same, writing dW and db instead of adding to them when overwrite (dx is still added to). */
void nn_dense_backward_to(nn_real *dx, nn_real *dW, nn_real *db, const nn_real *dz, const nn_real *x,
                          const nn_real *W, int B, int n_in, int n_out, int overwrite);

void nn_dense_forward_ref(nn_real *z, const nn_real *x, const nn_real *W, const nn_real *b, int B, int n_in,
                          int n_out);
void nn_dense_backward_ref(nn_real *dx, nn_real *dW, nn_real *db, const nn_real *dz, const nn_real *x,
                           const nn_real *W, int B, int n_in, int n_out);

#endif
