/* nn_fastmath.h — e^x and tanh in float for the element-wise passes (sigmoid, tanh, softmax).
 *
 * The float build's activations call these instead of libm's expf/tanhf: written as straight-line
 * arithmetic (no call, no branch, no float-to-int conversion), a loop over a layer vectorizes.
 * The double build (the test suites' gradient checks) keeps libm's exp and tanh.
 *
 * e^x: x = n·ln2 + r with n the integer nearest x/ln2 (found by adding 1.5·2²³, which leaves n in
 * the low mantissa bits) and |r| ≤ ln2/2 (ln2 in two parts, Cody–Waite, so r is exact to float);
 * e^r by a degree-7 polynomial in Horner form 1 + r + r²·P(r) (coefficients of Cephes' expf);
 * 2ⁿ built in the exponent field as two factors 2^⌊n/2⌋·2^(n−⌊n/2⌋), so results down to the
 * smallest denormal come out rounded once. Overflow gives +Inf (x > 88.7228…), underflow 0
 * (x < −103.97…), NaN gives NaN: libm's limits.
 * tanh: for |z| < 0.625 the odd polynomial z + z³·Q(z²) (Cephes' tanhf), else
 * sign(z)·(1 − 2/(e^{2|z|} + 1)); both computed, one selected.
 *
 * Error bounds, measured over every float (2,240,806,912 inputs in (−110, 90), against double
 * precision exp and tanh rounded to float; tests/test_act.c re-checks them on a spread sample):
 * e^x within 0.99 units in the last place of the float result (relative error below 1.2e-7)
 * wherever the result is normal, within 0.75 of the smallest denormal where it is denormal; tanh
 * within 1.33 units in the last place for |z| < 20 (beyond, it is ±1 as the exact value rounds to).
 * libm's expf and tanhf are within 1 ulp too: the new numbers differ from the old in the last bit
 * of some activations, and training runs drift apart from there as float rounding does.
 * For a fixed build the results are reproducible: same inputs, same bits (no -ffast-math; C11
 * mode leaves floating-point contraction off).
 */
#ifndef NN_FASTMATH_H
#define NN_FASTMATH_H

#include <math.h>
#include <stdint.h>
#include <string.h>

static inline float nn_expf_fast(float x)
{
    const float hi = 88.72283935546875f, lo = -103.97207641601562f;
    float xc = x > hi ? hi : x;
    xc = xc < lo ? lo : xc;
    const float magic = 12582912.0f; /* 1.5·2²³ */
    float t = xc * 1.44269504088896341f + magic;
    float n = t - magic;
    int32_t ti;
    memcpy(&ti, &t, sizeof ti);
    int32_t ni = ti - 0x4B400000; /* n as an integer: the bits of t above those of the magic number */
    float r = xc - n * 0.693359375f;
    r = r - n * -2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * (r * r) + r + 1.0f;
    int32_t n1 = ni / 2, n2 = ni - n1; /* each in [−75, 64]: normal exponents */
    /* unsigned: for a NaN x, n is garbage and only the NaN of p matters (a signed shift would overflow) */
    uint32_t b1 = (uint32_t)(n1 + 127) << 23, b2 = (uint32_t)(n2 + 127) << 23;
    float s1, s2;
    memcpy(&s1, &b1, sizeof s1);
    memcpy(&s2, &b2, sizeof s2);
    float res = p * s1 * s2;
    res = x > hi ? INFINITY : res;
    return x < lo ? 0.0f : res;
}

static inline float nn_tanhf_fast(float z)
{
    float a = fabsf(z);
    float z2 = z * z;
    float q = -5.70498872745e-3f;
    q = q * z2 + 2.06390887954e-2f;
    q = q * z2 - 5.37397155531e-2f;
    q = q * z2 + 1.33314422036e-1f;
    q = q * z2 - 3.33332819422e-1f;
    float small = z + z * z2 * q;
    float e = nn_expf_fast(2.0f * a);
    float large = 1.0f - 2.0f / (e + 1.0f); /* e = +Inf gives 1 */
    large = z < 0 ? -large : large;
    return a < 0.625f ? small : large;
}

#endif
