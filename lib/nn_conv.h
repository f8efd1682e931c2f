/* nn_conv.h — 2-D convolution and max pooling on (C, H, W) samples, batch-major.
 *
 * Convolution (cross-correlation, as every framework computes it): input x (Ci, Hi, Wi) per
 * sample, weights W (Co, Ci, k, k) stored as rows of Ci·k·k, bias b (Co), stride s, zero
 * padding p; output y (Co, Ho, Wo) with Ho = (Hi + 2p − k)/s + 1 (likewise Wo):
 *   y[o, i, j] = b[o] + Σ_{c, u, v} W[o, c, u, v] · x[c, i·s − p + u, j·s − p + v]
 * (x outside the image is 0). The fast path lowers each sample to one GEMM:
 *   col = im2col(x)  (Ci·k·k, Ho·Wo);   y = W · col + b
 * and backward:  dW += dy · colᵀ,  db += Σ dy,  dcol = Wᵀ · dy,  dx += col2im(dcol); the
 * forward keeps every sample's col for the backward pass.
 * nn_conv_*_naive compute the same with direct loops (the reference the tests hold the
 * GEMM path to). Fan-in for the init schemes is Ci·k·k, fan-out Co·k·k.
 *
 * Max pooling: window q, stride s, no padding; y[c, i, j] = max over the window. Backward
 * sends each window's gradient to its maximum; on a tie, to the first maximum in row-major
 * order within the window (the index the forward pass recorded).
 */
#ifndef NN_CONV_H
#define NN_CONV_H

#include <stddef.h>

#include "nn_common.h"

typedef struct nn_conv_shape {
    int ci, hi, wi;     /* input */
    int co, k, stride, pad;
    int ho, wo;         /* output, computed */
} nn_conv_shape;

/* Fill in ho, wo; returns 0, or −1 with a message when the kernel does not fit. */
int nn_conv_shape_init(nn_conv_shape *s, int ci, int hi, int wi, int co, int k, int stride, int pad);
/* Elements of the work buffer for mini-batches of up to max_batch samples: each sample's
 * lowered input (Ci·k·k, Ho·Wo). */
size_t nn_conv_work_size(const nn_conv_shape *s, int max_batch);

/* Leaves the lowered input in `work` for nn_conv_backward of the same batch. */
void nn_conv_forward(const nn_conv_shape *s, nn_real *y, const nn_real *x, const nn_real *W, const nn_real *b, int B,
                     nn_real *work);
/* `work` must hold what nn_conv_forward left for this batch (it is overwritten). dx may be
 * NULL (the network input); dW, db, dx are accumulated (+=). */
void nn_conv_backward(const nn_conv_shape *s, nn_real *dx, nn_real *dW, nn_real *db, const nn_real *dy, const nn_real *W,
                      int B, nn_real *work);
void nn_conv_forward_naive(const nn_conv_shape *s, nn_real *y, const nn_real *x, const nn_real *W, const nn_real *b, int B);
void nn_conv_backward_naive(const nn_conv_shape *s, nn_real *dx, nn_real *dW, nn_real *db, const nn_real *dy,
                            const nn_real *x, const nn_real *W, int B);

typedef struct nn_pool_shape {
    int c, hi, wi, q, stride;
    int ho, wo;         /* computed */
} nn_pool_shape;

int nn_pool_shape_init(nn_pool_shape *s, int c, int hi, int wi, int q, int stride);
/* arg (B, c·ho·wo) receives, per output, the input index (within the sample) of its maximum. */
void nn_maxpool_forward(const nn_pool_shape *s, nn_real *y, int *arg, const nn_real *x, int B);
void nn_maxpool_backward(const nn_pool_shape *s, nn_real *dx, const nn_real *dy, const int *arg, int B);

#endif
