/* nn_gradcheck.h — check a network's backpropagated gradient against central differences.
 *
 *   double worst = nn_gradcheck(net, X, Y, B, NN_TRAIN, 0);   // e.g. < 1e-6 in double precision
 *
 * For every parameter θ_k: (J(θ + h e_k) − J(θ − h e_k)) / 2h with h = 1e-5, where J is the
 * objective the network trains (its losses plus (λ/2)‖w‖²), against the gradient one
 * forward and backward pass give. Returns the worst relative error over all parameters,
 * |g − num| / max(|num|, 1e-3 · max|num|), or −1 when the backprop gradient is all zero (a
 * layer that sends nothing back would otherwise pass). Meant for the double build (NN_DOUBLE):
 * in single precision the differences themselves are only good to about 1e-3. A layer that
 * draws random masks (dropout) must be checked with NN_EVAL or with a fixed mask.
 * NN_GRADCHECK_VERBOSE=1 in the environment prints the worst error and the parameter count.
 */
#ifndef NN_GRADCHECK_H
#define NN_GRADCHECK_H

#include "nn_net.h"

double nn_gradcheck(nn_net *net, const nn_real *X, const nn_real *Y, int B, nn_mode mode, double lambda);
/* The same with the backprop gradient multiplied by grad_scale before the comparison: 1 is a
 * real check; a self-test passes 2 to see a wrong gradient fail. */
double nn_gradcheck_scaled(nn_net *net, const nn_real *X, const nn_real *Y, int B, nn_mode mode, double lambda,
                           double grad_scale);

#endif
