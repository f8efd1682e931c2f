/* test_rng.c — the random stream is fixed by the seed, on every machine. */
#include "nn_test.h"

#include <math.h>

START_TEST(test_reference_stream)
{
    /* xoshiro256** seeded through splitmix64, checked against an independent
     * implementation of the published algorithms */
    nn_rng r;
    nn_rng_seed(&r, 42);
    ck_assert_uint_eq(nn_rng_u64(&r), 0x15780b2e0c2ec716ull);
    ck_assert_uint_eq(nn_rng_u64(&r), 0x6104d9866d113a7eull);
    ck_assert_uint_eq(nn_rng_u64(&r), 0xae17533239e499a1ull);
    nn_rng_seed(&r, 0);
    ck_assert_uint_eq(nn_rng_u64(&r), 0x99ec5f36cb75f2b4ull);
}
END_TEST

START_TEST(test_uniform_and_gauss_moments)
{
    nn_rng r;
    nn_rng_seed(&r, 7);
    const int N = 400000;
    double s = 0, s2 = 0, g = 0, g2 = 0, g4 = 0, lo = 1, hi = 0;
    for (int i = 0; i < N; i++) {
        double u = nn_rng_uniform(&r);
        lo = fmin(lo, u), hi = fmax(hi, u);
        s += u, s2 += u * u;
        double z = nn_rng_gauss(&r);
        g += z, g2 += z * z, g4 += z * z * z * z;
    }
    ck_assert(lo >= 0 && hi < 1);
    ck_assert_double_eq_tol(s / N, 0.5, 0.003);
    ck_assert_double_eq_tol(s2 / N - (s / N) * (s / N), 1.0 / 12, 0.001);
    ck_assert_double_eq_tol(g / N, 0, 0.006);
    ck_assert_double_eq_tol(g2 / N, 1, 0.01);
    ck_assert_double_eq_tol(g4 / N, 3, 0.06); /* Gaussian kurtosis */
}
END_TEST

START_TEST(test_below_and_shuffle)
{
    nn_rng r;
    nn_rng_seed(&r, 3);
    int counts[7] = {0};
    for (int i = 0; i < 70000; i++) counts[nn_rng_below(&r, 7)]++;
    for (int k = 0; k < 7; k++) ck_assert_int_lt(abs(counts[k] - 10000), 400);
    int idx[100], seen[100] = {0};
    for (int i = 0; i < 100; i++) idx[i] = i;
    nn_rng_shuffle(&r, idx, 100);
    int moved = 0;
    for (int i = 0; i < 100; i++) seen[idx[i]]++, moved += idx[i] != i;
    for (int i = 0; i < 100; i++) ck_assert_int_eq(seen[i], 1);
    ck_assert_int_gt(moved, 80);
}
END_TEST

START_TEST(test_same_seed_same_stream_forks_differ)
{
    nn_rng a, b, c, d;
    nn_rng_seed(&a, 5);
    nn_rng_seed(&b, 5);
    for (int i = 0; i < 1000; i++) ck_assert_double_eq(nn_rng_gauss(&a), nn_rng_gauss(&b));
    nn_rng_fork(&c, &a, 1);
    nn_rng_fork(&d, &a, 2);
    ck_assert_uint_ne(nn_rng_u64(&c), nn_rng_u64(&d));
}
END_TEST

Suite *suite_rng(void)
{
    Suite *s = suite_create("rng");
    TCase *tc = tcase_create("stream");
    tcase_add_test(tc, test_reference_stream);
    tcase_add_test(tc, test_uniform_and_gauss_moments);
    tcase_add_test(tc, test_below_and_shuffle);
    tcase_add_test(tc, test_same_seed_same_stream_forks_differ);
    suite_add_tcase(s, tc);
    return s;
}
