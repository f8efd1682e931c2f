/* nn_batchnorm.h — batch normalization (Ioffe & Szegedy 2015), per feature.
 *
 * A feature is a unit of a dense layer, or a channel of a convolutional layer: there its
 * statistics, γ and β are shared by all hw = H·W positions of the channel's map, as Ioffe and
 * Szegedy do for convolutions ("spatial" batch norm), so m = B·hw values per feature.
 * Training, over the mini-batch B = {x_1 … x_m} of each feature:
 *   μ = (1/m) Σ x_i          σ² = (1/m) Σ (x_i − μ)²
 *   x̂_i = (x_i − μ) / √(σ² + ε)          y_i = γ x̂_i + β
 * Running averages for evaluation (exponential, `momentum` = weight of the new batch):
 *   mean ← (1 − momentum)·mean + momentum·μ
 *   var  ← (1 − momentum)·var  + momentum·σ²·m/(m − 1)   (unbiased, as the paper and PyTorch)
 * Evaluation: y = γ (x − mean)/√(var + ε) + β.
 * Backward, exactly the lecture's chain (seed 004, from the paper):
 *   ∂ℓ/∂x̂_i = ∂ℓ/∂y_i · γ
 *   ∂ℓ/∂σ²  = Σ_i ∂ℓ/∂x̂_i · (x_i − μ) · (−1/2)(σ² + ε)^(−3/2)
 *   ∂ℓ/∂μ   = (Σ_i ∂ℓ/∂x̂_i · −1/√(σ² + ε)) + ∂ℓ/∂σ² · Σ_i −2(x_i − μ) / m
 *   ∂ℓ/∂x_i = ∂ℓ/∂x̂_i / √(σ² + ε) + ∂ℓ/∂σ² · 2(x_i − μ)/m + ∂ℓ/∂μ / m
 *   ∂ℓ/∂γ   = Σ_i ∂ℓ/∂y_i · x̂_i         ∂ℓ/∂β = Σ_i ∂ℓ/∂y_i
 * Shapes: x, y, x̂ are (B, n, hw), B rows of n features at hw positions (hw = 1 for dense
 * layers); μ, σ², 1/√(σ² + ε), γ, β and the running averages (n).
 * Backward adds into dx, dgamma, dbeta.
 */
#ifndef NN_BATCHNORM_H
#define NN_BATCHNORM_H

#include "nn_common.h"

void nn_bn_forward_train(nn_real *y, nn_real *xhat, nn_real *mu, nn_real *var, nn_real *inv_std, const nn_real *x,
                         const nn_real *gamma, const nn_real *beta, double eps, int B, int n, int hw);
void nn_bn_forward_eval(nn_real *y, const nn_real *x, const nn_real *mean, const nn_real *var,
                        const nn_real *gamma, const nn_real *beta, double eps, int B, int n, int hw);
/* dx (may be NULL), dγ and dβ += the gradients of the eval-mode map (running statistics fixed) */
void nn_bn_backward_eval(nn_real *dx, nn_real *dgamma, nn_real *dbeta, const nn_real *dy, const nn_real *x,
                         const nn_real *mean, const nn_real *var, const nn_real *gamma, double eps, int B, int n, int hw);
void nn_bn_update_running(nn_real *run_mean, nn_real *run_var, const nn_real *mu, const nn_real *var,
                          double momentum, int B, int n, int hw);
void nn_bn_backward(nn_real *dx, nn_real *dgamma, nn_real *dbeta, const nn_real *dy, const nn_real *x,
                    const nn_real *xhat, const nn_real *mu, const nn_real *var, const nn_real *gamma,
                    double eps, int B, int n, int hw, double *scratch /* (3n) */);

#endif
