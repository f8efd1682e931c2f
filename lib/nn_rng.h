/* nn_rng.h — seeded random numbers that give the same stream on every machine.
 *
 * Generator: xoshiro256** (Blackman & Vigna), state seeded from a 64-bit seed by
 * splitmix64. Only integer arithmetic decides the stream; uniform doubles take the
 * top 53 bits; Gaussians use Marsaglia's polar method (only +, *, log and sqrt), so
 * the same seed gives the same numbers on any IEEE-754 machine with a faithful log.
 */
#ifndef NN_RNG_H
#define NN_RNG_H

#include <stdint.h>

typedef struct nn_rng {
    uint64_t s[4];
    double spare;      /* second Gaussian of the last polar pair */
    int has_spare;
} nn_rng;

void nn_rng_seed(nn_rng *r, uint64_t seed);
uint64_t nn_rng_u64(nn_rng *r);
double nn_rng_uniform(nn_rng *r);               /* [0, 1) */
double nn_rng_uniform_in(nn_rng *r, double lo, double hi); /* [lo, hi) */
double nn_rng_gauss(nn_rng *r);                 /* N(0, 1) */
uint32_t nn_rng_below(nn_rng *r, uint32_t n);   /* uniform in {0, …, n-1}, unbiased; n > 0 */
void nn_rng_shuffle(nn_rng *r, int *idx, int n); /* Fisher–Yates */
/* Derive an independent stream for a named purpose (e.g. data vs init vs dropout),
 * so changing how many numbers one part draws does not shift the others. */
void nn_rng_fork(nn_rng *child, const nn_rng *parent, uint64_t stream_id);

#endif
